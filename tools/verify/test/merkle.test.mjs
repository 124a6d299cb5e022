// The Merkle log: docs/audit.md's worked example, RFC 6962's test vectors, and every inclusion and
// consistency proof of trees up to 20 leaves, built with the reference definitions of testkit.mjs.

import test from 'node:test';
import assert from 'node:assert/strict';
import {leafHash, nodeHash, rootOf, TreeBuilder, EMPTY_ROOT, verifyInclusion, verifyConsistency} from '../merkle.mjs';
import {MTH, PATH, PROOF, dataLeaf, referenceLeaf} from '../testkit.mjs';

const hex = (b) => Buffer.from(b).toString('hex');
const fromHex = (h) => Buffer.from(h, 'hex');

// ---------------------------------------------------------------------------------------------
// docs/audit.md, "Worked example"

const CASE_1 = '5b0f1f6e-2c1a-3d4e-9f00-000000000001';
const CASE_2 = '8c2d0a11-7e3b-3c5d-8a00-000000000002';
const example = [
  leafHash(CASE_1, 0, Buffer.alloc(32, 0x1f)),
  leafHash(CASE_1, 1, Buffer.alloc(32, 0x2f)),
  leafHash(CASE_2, 0, Buffer.alloc(32, 0x3f)),
];

test('worked example: the three leaf hashes', () => {
  assert.equal(hex(example[0]), 'e8513b1e503516da73753147f44c626850f5c39d7dc24734da68e4c660e550c4');
  assert.equal(hex(example[1]), '2a585151dd48d4835ecc594c79c92a5f1acdc3c99539929e11ba3ee7267e3946');
  assert.equal(hex(example[2]), '8d2001d347e196648ec2f1983ee88240d86aca1fa89e23bf861f23a515caf549');
  // and the same from the reference written from the Python sketch
  assert.deepEqual(referenceLeaf(CASE_1, 1, '2f'.repeat(32)), example[1]);
});

test('worked example: the roots of 2 and 3', () => {
  assert.equal(hex(rootOf(example.slice(0, 2))), 'd80bea3408cecc59f536dfbfc45f80961941e7b44812843f8dae5007c6982972');
  assert.equal(hex(nodeHash(example[0], example[1])), 'd80bea3408cecc59f536dfbfc45f80961941e7b44812843f8dae5007c6982972');
  assert.equal(hex(rootOf(example)), 'fad7c4798cc45edea8718e9ae23ef3cd090969782dd1e3c75718859e04080f00');
  assert.equal(rootOf(example).toString('base64'), '+tfEeYzEXt6ocY6a4j7zzQkJaXgt0ePHVxiFngQIDwA=');
});

test('worked example: the inclusion proof of leaf 1 in 3 is [leaf 0, leaf 2] and verifies', () => {
  assert.deepEqual(PATH(1, example), [example[0], example[2]]);
  assert.equal(verifyInclusion(1, 3, example[1], [example[0], example[2]], rootOf(example)), null);
  assert.notEqual(verifyInclusion(1, 3, example[1], [example[2], example[0]], rootOf(example)), null);
  assert.notEqual(verifyInclusion(0, 3, example[1], [example[0], example[2]], rootOf(example)), null);
});

test('worked example: the consistency proof from 2 to 3 is [leaf 2] and verifies', () => {
  assert.deepEqual(PROOF(2, example), [example[2]]);
  const root2 = rootOf(example.slice(0, 2));
  assert.equal(verifyConsistency(2, 3, root2, rootOf(example), [example[2]]), null);
  assert.notEqual(verifyConsistency(2, 3, root2, rootOf(example), [example[1]]), null);
  assert.notEqual(verifyConsistency(2, 3, example[0], rootOf(example), [example[2]]), null);
});

// ---------------------------------------------------------------------------------------------
// RFC 6962's test vectors (the data of each leaf, hashed with the 0x00 prefix)

const RFC6962_DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const RFC6962_ROOTS = [ // the roots of the first 1, 2, …, 8 leaves
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const rfcLeaves = RFC6962_DATA.map(dataLeaf);

test('RFC 6962 test vectors: the root of the first one and of all eight', () => {
  assert.equal(hex(rootOf(rfcLeaves.slice(0, 1))), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  assert.equal(hex(rootOf(rfcLeaves)), '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
});

test('RFC 6962 test vectors: the roots of every prefix', () => {
  for (let n = 1; n <= 8; n++) assert.equal(hex(rootOf(rfcLeaves.slice(0, n))), RFC6962_ROOTS[n - 1], `root of ${n}`);
});

test('the root of no leaves is SHA-256 of nothing', () => {
  assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(new TreeBuilder().root()), hex(EMPTY_ROOT));
});

// ---------------------------------------------------------------------------------------------
// Generated proofs

const leaves = Array.from({length: 70}, (_, k) => dataLeaf(Buffer.from(`leaf ${k}`).toString('hex')));

test('the streaming tree gives the reference MTH for every size up to 70', () => {
  const tree = new TreeBuilder();
  assert.deepEqual(tree.root(), MTH([]));
  for (let n = 1; n <= 70; n++) {
    tree.push(leaves[n - 1]);
    assert.equal(hex(tree.root()), hex(MTH(leaves.slice(0, n))), `size ${n}`);
  }
});

const flip = (bytes, at = 0) => {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
};

test('every inclusion proof of trees up to 20 verifies, and is refused when altered', () => {
  let checked = 0;
  for (let n = 1; n <= 20; n++) {
    const D = leaves.slice(0, n);
    const root = MTH(D);
    for (let m = 0; m < n; m++) {
      const path = PATH(m, D);
      const at = `leaf ${m} of ${n}`;
      assert.equal(verifyInclusion(m, n, D[m], path, root), null, at);
      assert.notEqual(verifyInclusion(m, n, flip(D[m]), path, root), null, `${at}: other leaf`);
      assert.notEqual(verifyInclusion(m, n, D[m], path, flip(root, 31)), null, `${at}: other root`);
      for (let k = 0; k < path.length; k++) {
        const altered = path.map((h, j) => (j === k ? flip(h, k % 32) : h));
        assert.notEqual(verifyInclusion(m, n, D[m], altered, root), null, `${at}: hash ${k} altered`);
      }
      assert.notEqual(verifyInclusion(m, n, D[m], [...path, root], root), null, `${at}: one hash too many`);
      if (path.length) assert.notEqual(verifyInclusion(m, n, D[m], path.slice(0, -1), root), null, `${at}: one hash too few`);
      for (let other = 0; other <= n; other++) {
        if (other !== m) assert.notEqual(verifyInclusion(other, n, D[m], path, root), null, `${at}: claimed as leaf ${other}`);
      }
      // (Not asserted: the same path claimed for a tree one larger. RFC 9162's algorithm uses the
      // size only for the tree's shape, and e.g. leaf 0 has the same shape in trees of 3 and 4; the
      // checkpoint's signature is what binds the root to its size.)
      checked++;
    }
  }
  assert.equal(checked, 210);
});

test('every consistency proof between trees up to 20 verifies, and is refused when altered', () => {
  let checked = 0;
  for (let n = 1; n <= 20; n++) {
    const second = MTH(leaves.slice(0, n));
    for (let m = 1; m < n; m++) {
      const first = MTH(leaves.slice(0, m));
      const proof = PROOF(m, leaves.slice(0, n));
      const at = `${m} to ${n}`;
      assert.equal(verifyConsistency(m, n, first, second, proof), null, at);
      assert.notEqual(verifyConsistency(m, n, flip(first), second, proof), null, `${at}: other first root`);
      assert.notEqual(verifyConsistency(m, n, first, flip(second), proof), null, `${at}: other second root`);
      for (let k = 0; k < proof.length; k++) {
        const altered = proof.map((h, j) => (j === k ? flip(h, 5) : h));
        assert.notEqual(verifyConsistency(m, n, first, second, altered), null, `${at}: hash ${k} altered`);
      }
      assert.notEqual(verifyConsistency(m, n, first, second, [...proof, second]), null, `${at}: one hash too many`);
      assert.notEqual(verifyConsistency(m, n, first, second, proof.slice(0, -1)), null, `${at}: one hash too few`);
      assert.notEqual(verifyConsistency(m, n, first, second, []), null, `${at}: empty`);
      if (m + 1 < n) assert.notEqual(verifyConsistency(m + 1, n, first, second, proof), null, `${at}: claimed from ${m + 1}`);
      assert.notEqual(verifyConsistency(n, m, second, first, proof), null, `${at}: backwards`);
      checked++;
    }
  }
  assert.equal(checked, 190);
});

test('consistency edge cases: equal sizes and the empty tree', () => {
  const r5 = MTH(leaves.slice(0, 5));
  assert.equal(verifyConsistency(5, 5, r5, r5, []), null);
  assert.notEqual(verifyConsistency(5, 5, r5, flip(r5), []), null);
  assert.notEqual(verifyConsistency(5, 5, r5, r5, [r5]), null);
  assert.equal(verifyConsistency(0, 5, EMPTY_ROOT, r5, []), null);
  assert.notEqual(verifyConsistency(0, 5, EMPTY_ROOT, r5, [r5]), null);
  assert.notEqual(verifyInclusion(0, 0, leaves[0], [], EMPTY_ROOT), null);
});

test('sizes beyond 2^53 are handled as int64, not as floating point', () => {
  // A leaf in a huge tree: the verifier must not lose bits; the path is simply too short.
  assert.notEqual(verifyInclusion(2n ** 60n, 2n ** 62n + 1n, leaves[0], [], leaves[0]), null);
  assert.equal(verifyInclusion(0n, 1n, leaves[0], [], leaves[0]), null);
});
