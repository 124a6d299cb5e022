// The Merkle log of docs/audit.md ("The Merkle log and its checkpoints"), written from that
// document alone: the leaf (minqing-leaf-v1), the RFC 9162 tree, its inclusion and consistency
// proofs (verified by RFC 9162 2.1.3.2 and 2.1.4.2), and checkpoints as C2SP signed notes.

import * as crypto from 'node:crypto';
import {sha256, decodeBytes, decodeInt64, FormatError} from './chain.mjs';

export const LEAF_LABEL = 'minqing-leaf-v1';

const LABEL_BYTES = Buffer.from(LEAF_LABEL, 'utf8');

/** SHA-256(0x00 ‖ F("minqing-leaf-v1") ‖ F(case) ‖ F(sequence) ‖ F(chain hash, 32 raw bytes)). */
export function leafHash(caseId, sequence, chainHashBytes) {
  const caseBytes = Buffer.from(caseId, 'utf8');
  const sequenceBytes = Buffer.from(String(sequence), 'utf8');
  const input = Buffer.allocUnsafe(1 + 16 + LABEL_BYTES.length + caseBytes.length + sequenceBytes.length + chainHashBytes.length);
  input[0] = 0x00;
  let at = 1;
  for (const field of [LABEL_BYTES, caseBytes, sequenceBytes, chainHashBytes]) { // F(x): 4-byte big-endian length ‖ x
    input.writeUInt32BE(field.length, at);
    at += 4 + field.copy(input, at + 4);
  }
  return sha256(input);
}

const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left, right) {
  return sha256(Buffer.concat([NODE_PREFIX, left, right], 65));
}

export const EMPTY_ROOT = sha256(Buffer.alloc(0));

/**
 * The RFC 9162 root of a stream of leaf hashes, in O(log n) memory: the stack holds the roots of
 * the perfect subtrees the leaves so far make (one per set bit of the count, largest first).
 */
export class TreeBuilder {
  constructor() {
    this.size = 0;
    this.stack = [];
  }

  push(leaf) {
    let h = leaf;
    for (let n = this.size; n % 2 === 1; n = Math.floor(n / 2)) h = nodeHash(this.stack.pop(), h);
    this.stack.push(h);
    this.size++;
  }

  root() {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let h = this.stack[this.stack.length - 1];
    for (let k = this.stack.length - 2; k >= 0; k--) h = nodeHash(this.stack[k], h);
    return h;
  }
}

export function rootOf(leaves) {
  const tree = new TreeBuilder();
  for (const leaf of leaves) tree.push(leaf);
  return tree.root();
}

// ---------------------------------------------------------------------------------------------
// Proofs: RFC 9162 2.1.3.2 and 2.1.4.2, step by step. Sizes and indexes are BigInt (int64).

const big = (n) => BigInt(n);
const lsb = (n) => (n & 1n) === 1n;

/** RFC 9162 2.1.3.2. Returns null when the proof verifies, else the reason. */
export function verifyInclusion(leafIndex, treeSize, leaf, path, root) {
  const index = big(leafIndex);
  const size = big(treeSize);
  if (index < 0n || index >= size) return `leaf index ${index} is not below tree size ${size}`;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return 'the audit path is too long';
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!lsb(fn) && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return 'the audit path is too short';
  if (!r.equals(root)) return 'the audit path does not lead to the root';
  return null;
}

const isPowerOfTwo = (n) => n > 0n && (n & (n - 1n)) === 0n;

/**
 * RFC 9162 2.1.4.2, which is stated for 0 < first < second. The two edge cases are decided here
 * (README, question 11): first = second verifies with an empty proof when the roots are equal;
 * first = 0 verifies with an empty proof (every tree extends the empty one).
 */
export function verifyConsistency(firstSize, secondSize, firstRoot, secondRoot, path) {
  const first = big(firstSize);
  const second = big(secondSize);
  if (first < 0n || first > second) return `the first tree (${first}) is larger than the second (${second})`;
  if (first === second) {
    if (path.length !== 0) return 'a proof between equal sizes must be empty';
    return firstRoot.equals(secondRoot) ? null : 'two different roots for the same size';
  }
  if (first === 0n) return path.length === 0 ? null : 'a proof from the empty tree must be empty';
  // 1.
  if (path.length === 0) return 'the consistency path is empty';
  // 2.
  const proof = isPowerOfTwo(first) ? [firstRoot, ...path] : [...path];
  // 3.
  let fn = first - 1n;
  let sn = second - 1n;
  // 4.
  while (lsb(fn)) { fn >>= 1n; sn >>= 1n; }
  // 5.
  let fr = proof[0];
  let sr = proof[0];
  // 6.
  for (const c of proof.slice(1)) {
    if (sn === 0n) return 'the consistency path is too long';
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!lsb(fn) && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7.
  if (sn !== 0n) return 'the consistency path is too short';
  if (!fr.equals(firstRoot)) return 'the path does not lead to the first root';
  if (!sr.equals(secondRoot)) return 'the path does not lead to the second root';
  return null;
}

/** proto3 JSON InclusionProof. */
export function parseInclusionProof(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError('not a JSON object');
  return {
    leafIndex: BigInt(decodeInt64(obj.leafIndex, 'leafIndex')),
    leafHash: decodeBytes(obj.leafHash, 'leafHash'),
    treeSize: BigInt(decodeInt64(obj.treeSize, 'treeSize')),
    hashes: decodeHashes(obj.hashes),
    chainHash: obj.chainHash === undefined ? '' : String(obj.chainHash),
  };
}

/** proto3 JSON ConsistencyProof. */
export function parseConsistencyProof(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError('not a JSON object');
  return {
    firstTreeSize: BigInt(decodeInt64(obj.firstTreeSize, 'firstTreeSize')),
    secondTreeSize: BigInt(decodeInt64(obj.secondTreeSize, 'secondTreeSize')),
    hashes: decodeHashes(obj.hashes),
  };
}

function decodeHashes(value) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FormatError('hashes: not an array');
  return value.map((h, k) => {
    const bytes = decodeBytes(h, `hashes[${k}]`);
    if (bytes.length !== 32) throw new FormatError(`hashes[${k}]: ${bytes.length} bytes, not 32`);
    return bytes;
  });
}

// ---------------------------------------------------------------------------------------------
// Checkpoints: C2SP tlog-checkpoint in a C2SP signed-note

/** Standard padded base64, exactly (no other spelling of the same bytes). */
function strictBase64(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

export function keyId(name, publicKey) {
  return sha256(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), publicKey])).subarray(0, 4);
}

/**
 * `<name>+<key id, 8 lowercase hex>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`. Throws
 * FormatError when malformed or when the key id is not the one the key gives.
 */
export function parseVerifierKey(text) {
  const vkey = text.trim();
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new FormatError('a verifier key is <name>+<key id>+<key>');
  const name = vkey.slice(0, a);
  const id = vkey.slice(a + 1, b);
  const keyBytes = strictBase64(vkey.slice(b + 1));
  if (/\s/.test(name)) throw new FormatError('the key name contains white space');
  if (!/^[0-9a-f]{8}$/.test(id)) throw new FormatError('the key id is not 8 lowercase hex digits');
  if (!keyBytes || keyBytes.length !== 33 || keyBytes[0] !== 0x01) {
    throw new FormatError('the key is not base64 of 0x01 and a 32-byte Ed25519 public key');
  }
  const publicKey = keyBytes.subarray(1);
  if (keyId(name, publicKey).toString('hex') !== id) throw new FormatError(`the key id ${id} is not the one of this key`);
  const key = crypto.createPublicKey({key: {kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url')}, format: 'jwk'});
  return {name, id: Buffer.from(id, 'hex'), publicKey, key};
}

const SIGNATURE_PREFIX = '\u2014 '; // "— ", an em dash and a space

/**
 * Checks a checkpoint note against the verifier key. Returns
 * {ok: true, origin, size (BigInt), root (Buffer), text} or {ok: false, reason}.
 */
export function verifyCheckpoint(noteText, verifier) {
  const fail = (reason) => ({ok: false, reason: noteText.includes('\r') ? `${reason} (the note contains \\r: line ends must be \\n)` : reason});
  const note = noteText.replace(/\n+$/, ''); // line ends after the last signature are not signed
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('not a signed note: no empty line before the signatures');
  const text = note.slice(0, split + 1); // the signed text: every line before the empty one, each with its \n
  const signatures = note.slice(split + 2);

  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return fail('a checkpoint has an origin, a size and a root');
  const [origin, sizeLine, rootLine] = lines;
  if (origin === '') return fail('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) return fail(`the size line is not a decimal number: ${JSON.stringify(sizeLine)}`);
  const root = strictBase64(rootLine);
  if (!root || root.length !== 32) return fail('the root line is not the base64 of 32 bytes');

  let signed = false;
  for (const line of signatures.split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return fail(`not a signature line: ${JSON.stringify(line)}`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const bytes = space > 0 ? strictBase64(rest.slice(space + 1)) : null;
    if (!bytes || bytes.length < 5) return fail(`a malformed signature line: ${JSON.stringify(line)}`);
    if (rest.slice(0, space) !== verifier.name || !bytes.subarray(0, 4).equals(verifier.id)) continue; // not ours
    const signature = bytes.subarray(4);
    let good = false;
    try {
      good = signature.length === 64 && crypto.verify(null, Buffer.from(text, 'utf8'), verifier.key, signature);
    } catch {
      good = false;
    }
    if (!good) return fail(`the signature of ${verifier.name} does not verify`);
    signed = true;
  }
  if (!signed) return fail(`no signature of ${verifier.name} with key id ${verifier.id.toString('hex')}`);
  return {ok: true, origin, size: BigInt(sizeLine), root, text, extensions: lines.slice(3)};
}
