// Checkpoints: docs/audit.md's example checkpoint with the development verifier key, changed bytes,
// other keys, cosignatures, and the verifier key's text form.

import test from 'node:test';
import assert from 'node:assert/strict';
import {verifyCheckpoint, parseVerifierKey, keyId} from '../merkle.mjs';
import {FormatError} from '../chain.mjs';
import {newSigner, DEV_KEY, EXAMPLE_NOTE} from '../testkit.mjs';

const dev = parseVerifierKey(DEV_KEY);

test('the development verifier key parses and its key id is the one it names', () => {
  assert.equal(dev.name, 'minqing.dev/12345');
  assert.equal(dev.id.toString('hex'), '56b62fce');
  assert.equal(keyId(dev.name, dev.publicKey).toString('hex'), '56b62fce');
  assert.equal(dev.publicKey.length, 32);
});

test('the example checkpoint verifies with the development key', () => {
  const cp = verifyCheckpoint(EXAMPLE_NOTE, dev);
  assert.equal(cp.ok, true, cp.reason);
  assert.equal(cp.origin, 'minqing.dev/12345');
  assert.equal(cp.size, 3n);
  assert.equal(cp.root.toString('hex'), 'fad7c4798cc45edea8718e9ae23ef3cd090969782dd1e3c75718859e04080f00');
});

test('the example checkpoint fails with any one character of it changed', () => {
  const end = EXAMPLE_NOTE.length - 1; // the last \n ends the note and is not signed
  let refused = 0;
  for (let k = 0; k < end; k++) {
    const c = EXAMPLE_NOTE[k];
    const other = c === '\n' ? ' ' : c === 'A' ? 'B' : c === '\u2014' ? '-' : 'A';
    const changed = EXAMPLE_NOTE.slice(0, k) + other + EXAMPLE_NOTE.slice(k + 1);
    assert.equal(verifyCheckpoint(changed, dev).ok, false, `character ${k} (${JSON.stringify(c)}) changed`);
    refused++;
  }
  assert.equal(refused, end);
});

test('the example checkpoint fails with any one bit of its signature flipped', () => {
  const line = EXAMPLE_NOTE.split('\n')[4];
  const b64 = line.slice(line.lastIndexOf(' ') + 1);
  const bytes = Buffer.from(b64, 'base64');
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const flipped = Buffer.from(bytes);
    flipped[bit >> 3] ^= 1 << (bit & 7);
    const note = EXAMPLE_NOTE.replace(b64, flipped.toString('base64'));
    assert.equal(verifyCheckpoint(note, dev).ok, false, `bit ${bit}`);
  }
});

test('the example checkpoint does not verify with another key, even of the same name', () => {
  const other = newSigner('minqing.dev/12345');
  const cp = verifyCheckpoint(EXAMPLE_NOTE, parseVerifierKey(other.vkey));
  assert.equal(cp.ok, false);
  assert.match(cp.reason, /no signature of minqing.dev\/12345 with key id/);
});

test('a signature line with our name and key id that does not verify fails the note', () => {
  const bad = EXAMPLE_NOTE + '\u2014 minqing.dev/12345 ' + Buffer.concat([dev.id, Buffer.alloc(64)]).toString('base64') + '\n';
  assert.equal(verifyCheckpoint(bad, dev).ok, false);
});

test('cosignatures of other names are ignored', () => {
  const witness = newSigner('witness.example/w1');
  const signed = witness.sign('minqing.dev/12345', 3, Buffer.from('+tfEeYzEXt6ocY6a4j7zzQkJaXgt0ePHVxiFngQIDwA=', 'base64'));
  const cosignature = signed.split('\n')[4];
  const both = EXAMPLE_NOTE + cosignature + '\n';
  assert.equal(verifyCheckpoint(both, dev).ok, true);
  assert.equal(verifyCheckpoint(both, parseVerifierKey(witness.vkey)).ok, true);
});

test('line ends other than \\n fail, and say so', () => {
  const crlf = EXAMPLE_NOTE.replace(/\n/g, '\r\n');
  const cp = verifyCheckpoint(crlf, dev);
  assert.equal(cp.ok, false);
  assert.match(cp.reason, /\\r/);
});

test('a missing final line end is tolerated (it is not signed); a missing empty line is not', () => {
  assert.equal(verifyCheckpoint(EXAMPLE_NOTE.slice(0, -1), dev).ok, true);
  assert.equal(verifyCheckpoint(EXAMPLE_NOTE + '\n', dev).ok, true);
  assert.equal(verifyCheckpoint(EXAMPLE_NOTE.replace('\n\n', '\n'), dev).ok, false);
});

test('a checkpoint signed by a fresh key verifies, and its size and root are read back', () => {
  const signer = newSigner('example.test/log');
  const root = Buffer.alloc(32, 7);
  const cp = verifyCheckpoint(signer.sign('example.test/log', 12345, root), parseVerifierKey(signer.vkey));
  assert.equal(cp.ok, true, cp.reason);
  assert.equal(cp.size, 12345n);
  assert.deepEqual(cp.root, root);
});

test('verifier keys: split on the first two + only, and checked', () => {
  let signer;
  do signer = newSigner('example.test/plus'); while (!signer.vkey.split('+').slice(2).join('+').includes('+'));
  const parsed = parseVerifierKey(signer.vkey);
  assert.equal(parsed.name, 'example.test/plus');
  assert.equal(parsed.publicKey.length, 32);

  const [name, id, key] = [DEV_KEY.split('+')[0], DEV_KEY.split('+')[1], DEV_KEY.split('+')[2]];
  assert.throws(() => parseVerifierKey(`${name}+00000000+${key}`), FormatError); // key id not the key's
  assert.throws(() => parseVerifierKey(`other.name+${id}+${key}`), FormatError); // the id covers the name
  assert.throws(() => parseVerifierKey(`${name}+${id.toUpperCase()}+${key}`), FormatError);
  assert.throws(() => parseVerifierKey(`${name}+${id}`), FormatError);
  const type2 = Buffer.from(key, 'base64');
  type2[0] = 0x02;
  assert.throws(() => parseVerifierKey(`${name}+${id}+${type2.toString('base64')}`), FormatError);
});

test('a properly signed checkpoint with a malformed body is refused', () => {
  const signer = newSigner('example.test/log');
  const key = parseVerifierKey(signer.vkey);
  const root = Buffer.alloc(32, 0x3f).toString('base64'); // Pz8/…Pz8=
  assert.equal(verifyCheckpoint(signer.signText(`example.test/log\n3\n${root}\n`), key).ok, true);
  for (const [what, text] of [
    ['a size with a leading zero', `example.test/log\n03\n${root}\n`],
    ['a negative size', `example.test/log\n-3\n${root}\n`],
    ['a root in non-canonical base64 (other padding bits)', `example.test/log\n3\n${root.replace(/8=$/, '9=')}\n`],
    ['a root without padding', `example.test/log\n3\n${root.replace(/=$/, '')}\n`],
    ['a root in URL-safe base64', `example.test/log\n3\n${root.replace(/\//g, '_')}\n`],
    ['a root of 31 bytes', `example.test/log\n3\n${Buffer.alloc(31).toString('base64')}\n`],
    ['no root', 'example.test/log\n3\n'],
    ['an empty origin', `\n3\n${root}\n`],
  ]) {
    assert.equal(verifyCheckpoint(signer.signText(text), key).ok, false, what);
  }
});

test('extension lines after the root are signed with the rest (C2SP), and reported', () => {
  const signer = newSigner('example.test/log');
  const root = Buffer.alloc(32, 1).toString('base64');
  const cp = verifyCheckpoint(signer.signText(`example.test/log\n3\n${root}\nextension one\n`), parseVerifierKey(signer.vkey));
  assert.equal(cp.ok, true, cp.reason);
  assert.deepEqual(cp.extensions, ['extension one']);
});
