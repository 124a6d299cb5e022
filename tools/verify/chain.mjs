// The per-case hash chain of docs/audit.md ("The chain record", "The hash, byte by byte",
// "Verifying a case"), written from that document alone.
//
// Two parts:
//   - reading one NDJSON line of an export (proto3 JSON of minqing.v1.AuditedEvent) into the
//     fields the chain covers: parseEvent;
//   - the hash (chainHash) and the verification of a case (CaseTracker for the streaming verdict,
//     classifyBreak for the kind of the first break).

import * as crypto from 'node:crypto';

export const LABEL = 'minqing-chain-v1';
export const GENESIS = '0'.repeat(64);

// Sorted by key in UTF-8 byte order (all ASCII, so the order of this list is the byte order).
export const COVERED_KEYS = Object.freeze([
  'actorId', 'actorOrganization', 'actorRole', 'causationId',
  'correlationId', 'method', 'partnerSystem', 'requestId',
]);

// How far from its place the classification looks for the position an event was hashed for.
export const WINDOW = 64;

const HEX64 = /^[0-9a-f]{64}$/;

/** The one-shot hash where Node has it (20.12+), otherwise a Hash object. */
export const sha256 = typeof crypto.hash === 'function'
  ? (data) => crypto.hash('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();
const sha256Hex = typeof crypto.hash === 'function'
  ? (data) => crypto.hash('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Input that is not a proto3 JSON AuditedEvent at all (wrong JSON types, bad base64, bad time). */
export class FormatError extends Error {}

// ---------------------------------------------------------------------------------------------
// Reading an export line

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/; // proto3 JSON accepts standard and URL-safe, padded or not

/** proto3 JSON `bytes`: base64 (standard or URL-safe, padding optional). */
export function decodeBytes(value, field) {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (typeof value !== 'string' || !BASE64.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
    throw new FormatError(`${field}: not base64`);
  }
  return Buffer.from(value, 'base64');
}

function str(value, field) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new FormatError(`${field}: not a string`);
  return value;
}

const DECIMAL = /^(0|-?[1-9][0-9]*)$/;

/** proto3 JSON int64: a decimal string (or a JSON number); absent means 0. Returns canonical decimal. */
export function decodeInt64(value, field) {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new FormatError(`${field}: not an integer`);
    return String(value);
  }
  if (typeof value !== 'string') throw new FormatError(`${field}: not an int64`);
  if (DECIMAL.test(value)) return value;
  if (!/^-?[0-9]+$/.test(value)) throw new FormatError(`${field}: not an int64: ${JSON.stringify(value)}`);
  return BigInt(value).toString(); // leading zeros, "-0"
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * proto3 JSON google.protobuf.Timestamp → milliseconds since the epoch, as docs/audit.md defines
 * it: seconds × 1000 + nanos / 1 000 000 (integer division; nanos are never negative, so this is
 * the floor). Absent: the default Timestamp, 0 (README, question 3).
 */
export function timestampMillis(value, field = 'time') {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'string') throw new FormatError(`${field}: not an RFC 3339 string`);
  const m = RFC3339.exec(value);
  if (!m) throw new FormatError(`${field}: not an RFC 3339 timestamp: ${JSON.stringify(value)}`);
  const year = +m[1], month = +m[2], day = +m[3], hour = +m[4], minute = +m[5], second = +m[6];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1] + (month === 2 && leap ? 1 : 0)
      || hour > 23 || minute > 59 || second > 59) {
    throw new FormatError(`${field}: not a valid instant: ${JSON.stringify(value)}`);
  }
  let millis = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) { // Date.UTC reads years 0–99 as 1900–1999
    const d = new Date(millis);
    d.setUTCFullYear(year);
    millis = d.getTime();
  }
  if (m[7]) millis += +(m[7] + '00').slice(0, 3);
  if (m[9]) millis -= (m[9] === '-' ? -1 : 1) * (+m[10] * 60 + +m[11]) * 60_000;
  return millis;
}

/**
 * One NDJSON object → the fields the chain and the leaf use. Throws FormatError when the object is
 * not a readable AuditedEvent. The chain record is taken as it is (checked by wellFormed).
 */
export function parseEvent(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError('not a JSON object');
  const metadata = obj.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new FormatError('metadata: not an object');
  const covered = [];
  for (const key of COVERED_KEYS) {
    if (Object.prototype.hasOwnProperty.call(metadata, key)) covered.push(key, str(metadata[key], `metadata.${key}`));
  }
  return {
    caseId: str(obj.caseId, 'caseId'),
    sequence: decodeInt64(obj.sequence, 'sequence'),
    eventId: str(obj.eventId, 'eventId'),
    millis: String(timestampMillis(obj.time)),
    type: str(obj.type, 'type'),
    payload: decodeBytes(obj.payload, 'payload'),
    covered, // [key1, value1, key2, value2, …], sorted by key
    previousHash: str(obj.previousHash, 'previousHash'),
    hash: str(obj.hash, 'hash'),
  };
}

/** Rule 1: a chain record of two 64-digit lowercase hex hashes. */
export function wellFormed(event) {
  return HEX64.test(event.previousHash) && HEX64.test(event.hash);
}

// ---------------------------------------------------------------------------------------------
// The hash

let scratch = Buffer.allocUnsafe(64 * 1024);
let at = 0;

function ensure(bytes) {
  if (at + bytes <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(2 * scratch.length, at + bytes));
  scratch.copy(bigger, 0, 0, at);
  scratch = bigger;
}

function putString(s) { // F(UTF-8 of s)
  ensure(4 + 3 * s.length); // a UTF-16 code unit is at most 3 bytes of UTF-8
  const n = scratch.write(s, at + 4, 'utf8');
  scratch.writeUInt32BE(n, at);
  at += 4 + n;
}

function putBytes(bytes) { // F(bytes)
  ensure(4 + bytes.length);
  scratch.writeUInt32BE(bytes.length, at);
  at += 4 + bytes.copy(scratch, at + 4);
}

/**
 * SHA-256 of F(label) ‖ F(previous) ‖ F(case) ‖ F(sequence) ‖ F(event id) ‖ F(time) ‖ F(type) ‖
 * F(payload) ‖ F(count) ‖ F(key₁) ‖ F(value₁) ‖ …, F(x) = 4-byte big-endian length ‖ x.
 * `sequence` (decimal string) defaults to the event's stored one; `previous` (64 hex digits) to
 * its stored chainPrevious. Returns lowercase hex.
 */
export function chainHash(event, sequence = event.sequence, previous = event.previousHash) {
  at = 0;
  putString(LABEL);
  ensure(36);
  scratch.writeUInt32BE(32, at);
  if (scratch.write(previous, at + 4, 32, 'hex') !== 32) throw new Error('previous is not 64 hex digits');
  at += 36;
  putString(event.caseId);
  putString(sequence);
  putString(event.eventId);
  putString(event.millis);
  putString(event.type);
  putBytes(event.payload);
  putString(String(event.covered.length / 2));
  for (const s of event.covered) putString(s);
  return sha256Hex(scratch.subarray(0, at));
}

/** The exported hash as raw bytes, or null when it is not 64 lowercase hex digits. */
export function hashBytes(hex) {
  return HEX64.test(hex) ? Buffer.from(hex, 'hex') : null;
}

// ---------------------------------------------------------------------------------------------
// Verifying a case

/**
 * Rules 1–4 of "Verifying a case", one event at a time, in the case's order. Keeps only the last
 * hash, so memory is per case, not per event. `firstBreak` is the index (0-based position in the
 * case) of the first event that breaks a rule, with the rule and the NDJSON line.
 */
export class CaseTracker {
  constructor(caseId) {
    this.caseId = caseId;
    this.count = 0; // events seen
    this.head = GENESIS; // the last event's chainHash (the head hash while intact)
    this.firstBreak = null; // {index, line, rule, detail}
  }

  add(event, line) {
    const i = this.count++;
    if (this.firstBreak) return;
    const broken = (rule, detail) => { this.firstBreak = {index: i, line, rule, detail}; };
    if (!wellFormed(event)) return broken(1, 'no well-formed chain record');
    if (chainHash(event) !== event.hash) return broken(2, 'the hash does not match the event');
    if (event.sequence !== String(i)) return broken(3, `stored sequence ${event.sequence}, position ${i}`);
    if (event.previousHash !== this.head) return broken(4, 'chainPrevious is not the previous event\'s hash');
    this.head = event.hash;
  }
}

/** Whether `event` was hashed for `position` (its hash recomputed with that sequence number). */
function hashedFor(event, position) {
  return wellFormed(event) && chainHash(event, String(position)) === event.hash;
}

/** The position within WINDOW of i the event's hash was computed for, or null. */
function positionOf(event, i) {
  const stored = Number(event.sequence);
  if (Math.abs(stored - i) <= WINDOW && stored >= 0 && hashedFor(event, stored)) return stored;
  for (let d = 0; d <= WINDOW; d++) {
    for (const p of d === 0 ? [i] : [i - d, i + d]) {
      if (p >= 0 && p !== stored && hashedFor(event, p)) return p;
    }
  }
  return null;
}

/**
 * The kind and position of a case's first break, following the table of "Verifying a case".
 * `at(k)` returns {event, line} for the case's event at index k, or undefined when there is no
 * such event or it is outside what was kept (indexes within WINDOW + 1 of the break are enough);
 * `index` is the first index that broke rules 1–4.
 */
export function classifyBreak(at, index) {
  const i = index;
  const here = at(i);
  const e = here.event;
  const report = (kind, k, detail) => ({kind, sequence: k, line: (at(k) ?? here).line, detail});
  const previousOf = (k) => (k === 0 ? GENESIS : at(k - 1)?.event.hash);

  if (!wellFormed(e)) return report('ALTERED', i, 'no well-formed chain record');
  const p = positionOf(e, i);
  if (p === null) return report('ALTERED', i, `the hash matches the event's content at no position within ${WINDOW}`);
  if (p === i) {
    if (e.sequence !== String(i)) return report('ALTERED', i, `hashed for position ${i} but stores sequence ${e.sequence}`);
    if (i === 0) return report('ALTERED', 0, 'chainPrevious of the first event is not the genesis value');
    return report('ALTERED', i - 1, `the event at ${i} does not chain from this one: it was replaced`);
  }
  if (p > i) {
    const j = p;
    let claimant = null;
    for (let k = i + 1; k <= j; k++) {
      const f = at(k)?.event;
      if (f && hashedFor(f, i)) { claimant = {k, f}; break; }
    }
    if (!claimant) return report('MISSING', i, `the event found here was hashed for ${j}: ${j - i === 1 ? `event ${i} is` : `events ${i}…${j - 1} are`} gone`);
    if (claimant.f.previousHash === previousOf(i)) {
      return report('REORDERED', i, `the event found here belongs at ${j}; the one of ${i} follows at ${claimant.k}`);
    }
    return report('ALTERED', i, `the event found here belongs at ${j}; one hashed for ${i} follows at ${claimant.k} but does not chain from ${i - 1}`);
  }
  const j = p; // p < i
  if (e.previousHash === previousOf(j)) {
    return report('INSERTED', j, `the event at ${i} was hashed for ${j}: events ${j}…${i - 1} were put in`);
  }
  return report('ALTERED', i, `the event found here was hashed for ${j} but does not chain from ${j - 1}`);
}
