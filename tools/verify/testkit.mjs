// Test support only (kept out of test/ so that `node --test tools/verify/test/` does not run it as
// a test file): reference definitions written the slow, obvious way, straight from the texts, to
// check the verifier's faster code against, and builders of synthetic exports and checkpoints.

import * as crypto from 'node:crypto';

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const F = (bytes) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

// ---------------------------------------------------------------------------------------------
// RFC 9162 2.1.1, 2.1.3.1, 2.1.4.1 as defined there (D is a list of leaf hashes).

const largestPowerOfTwoBelow = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
export const node = (left, right) => sha256(Buffer.from([1]), left, right);

export function MTH(D) {
  if (D.length === 0) return sha256();
  if (D.length === 1) return D[0];
  const k = largestPowerOfTwoBelow(D.length);
  return node(MTH(D.slice(0, k)), MTH(D.slice(k)));
}

export function PATH(m, D) {
  if (D.length === 1) return [];
  const k = largestPowerOfTwoBelow(D.length);
  return m < k ? [...PATH(m, D.slice(0, k)), MTH(D.slice(k))] : [...PATH(m - k, D.slice(k)), MTH(D.slice(0, k))];
}

function SUBPROOF(m, D, b) {
  if (m === D.length) return b ? [] : [MTH(D)];
  const k = largestPowerOfTwoBelow(D.length);
  return m <= k
    ? [...SUBPROOF(m, D.slice(0, k), b), MTH(D.slice(k))]
    : [...SUBPROOF(m - k, D.slice(k), false), MTH(D.slice(0, k))];
}

export const PROOF = (m, D) => SUBPROOF(m, D, true);

export const dataLeaf = (hex) => sha256(Buffer.from([0]), Buffer.from(hex, 'hex'));

// ---------------------------------------------------------------------------------------------
// The chain hash as the Python sketch of docs/audit.md computes it, from an event's fields given
// directly (time as a number of milliseconds, payload as bytes, metadata as an object).

export const COVERED = ['actorId', 'actorOrganization', 'actorRole', 'causationId', 'correlationId', 'method', 'partnerSystem', 'requestId'];

export function referenceChainHash(previousHex, e) {
  const covered = Object.entries(e.metadata)
    .filter(([k]) => COVERED.includes(k))
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts = [Buffer.from('minqing-chain-v1'), Buffer.from(previousHex, 'hex'), Buffer.from(e.caseId), Buffer.from(String(e.sequence)),
    Buffer.from(e.eventId), Buffer.from(String(e.millis)), Buffer.from(e.type), e.payload, Buffer.from(String(covered.length))];
  for (const [k, v] of covered) parts.push(Buffer.from(k), Buffer.from(v));
  return sha256(...parts.map(F)).toString('hex');
}

export function referenceLeaf(caseId, sequence, chainHex) {
  return sha256(Buffer.from([0]), F(Buffer.from('minqing-leaf-v1')), F(Buffer.from(caseId)), F(Buffer.from(String(sequence))), F(Buffer.from(chainHex, 'hex')));
}

// ---------------------------------------------------------------------------------------------
// Synthetic exports

const BASE_MILLIS = Date.UTC(2026, 11, 1, 22, 10, 2, 123);

/** RFC 3339 with 0, 3, 6 or 9 fractional digits, as proto3 JSON writes it. */
export function rfc3339(millis, digits = 3) {
  const iso = new Date(millis).toISOString(); // …T22:10:02.123Z
  const base = iso.slice(0, 19);
  const ms = iso.slice(20, 23);
  if (digits === 0) return `${base}Z`;
  return `${base}.${(ms + '000000').slice(0, digits)}Z`;
}

/** The fields of event `s` of a case, before hashing. */
export function eventFields(caseId, s, variant = 0) {
  const payload = JSON.stringify({caseId, note: `第${s}次 step ${s}`, n: s * 7 + variant});
  const metadata = {actorRole: 'handler', actorId: `user-${s % 3}`, correlationId: `corr-${caseId.slice(0, 4)}-${s}`, uncoveredKey: 'not hashed'};
  if (s % 2 === 0) metadata.requestId = `req-${s}`;
  if (s % 3 === 0) metadata.partnerSystem = '12345';
  if (s === 1) metadata.method = '';
  return {
    caseId, sequence: s, eventId: `${caseId.slice(0, 8)}-event-${s}-${variant}`,
    millis: s % 5 === 0 ? Math.floor((BASE_MILLIS + s * 1000) / 1000) * 1000 : BASE_MILLIS + s * 1037,
    type: s === 0 ? 'minqing.v1.CaseReported' : 'minqing.v1.CaseAccepted',
    payload: Buffer.from(payload, 'utf8'), metadata,
  };
}

/** proto3 JSON of an AuditedEvent: defaults omitted, int64 as strings, bytes base64. */
export function toJson(f, previousHash, hash, position) {
  const digits = [3, 0, 6, 9][f.sequence % 4];
  const obj = {caseId: f.caseId};
  if (f.sequence !== 0) obj.sequence = String(f.sequence);
  obj.eventId = f.eventId;
  obj.time = rfc3339(f.millis, digits === 0 && f.millis % 1000 !== 0 ? 3 : digits);
  obj.type = f.type;
  obj.event = {'@type': `type.googleapis.com/${f.type}`, caseId: f.caseId};
  if (f.payload.length) obj.payload = f.payload.toString('base64');
  if (Object.keys(f.metadata).length) obj.metadata = {...f.metadata};
  if (previousHash) obj.previousHash = previousHash;
  if (hash) obj.hash = hash;
  obj.position = position;
  return obj;
}

/** A case of n events chained properly: [{fields, json}]. */
export function buildCase(caseId, n) {
  const out = [];
  let previous = '0'.repeat(64);
  for (let s = 0; s < n; s++) {
    const fields = eventFields(caseId, s);
    const hash = referenceChainHash(previous, fields);
    out.push({fields, previous, hash});
    previous = hash;
  }
  return out;
}

/**
 * A small log: several cases, interleaved. Returns the events in log order, each
 * {fields, previous, hash}, and `lines()` to turn a list of them into NDJSON.
 */
export function buildLog(caseIds = ['5b0f1f6e-2c1a-3d4e-9f00-000000000001', '8c2d0a11-7e3b-3c5d-8a00-000000000002', '9d3e1b22-8f4c-4d6e-9b00-000000000003'], n = 6) {
  const perCase = caseIds.map((id) => buildCase(id, n));
  const log = [];
  for (let s = 0; s < n; s++) for (const events of perCase) log.push(events[s]);
  return log;
}

export function ndjson(log) {
  return log.map((e, k) => JSON.stringify(toJson(e.fields, e.previous, e.hash, `0:${k}`))).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

/** docs/audit.md's development verifier key and its example checkpoint, byte for byte. */
export const DEV_KEY = 'minqing.dev/12345+56b62fce+AVW4hRNW1UtntH7OY143ecWKzeQqq7c/TYH6jUyvyIn2';
export const EXAMPLE_NOTE = 'minqing.dev/12345\n3\n+tfEeYzEXt6ocY6a4j7zzQkJaXgt0ePHVxiFngQIDwA=\n\n'
  + '\u2014 minqing.dev/12345 VrYvzuRXUuEYhy9hugoOvBC5oquVjTso++ULiAB2t/E/EpBQqUEnv1JbIBcRXlnNY49Gilvw7Sg9zpxvNVtU8KqI5go=\n';

export function newSigner(name = 'example.test/log') {
  const {privateKey, publicKey} = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({format: 'jwk'}).x, 'base64url');
  const id = sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), raw).subarray(0, 4);
  const vkey = `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`;
  const signText = (text) => {
    const signature = crypto.sign(null, Buffer.from(text), privateKey);
    return `${text}\n\u2014 ${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
  };
  const sign = (origin, size, root) => signText(`${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`);
  return {name, vkey, sign, signText};
}
