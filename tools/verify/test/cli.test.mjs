// The command line, run as a separate process: output and exit status (0 verified, 1 does not
// verify, 2 usage error or unreadable input).

import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {leafHash} from '../merkle.mjs';
import {buildLog, ndjson, newSigner, referenceLeaf, MTH, PATH, PROOF, DEV_KEY, EXAMPLE_NOTE} from '../testkit.mjs';

const VERIFY = fileURLToPath(new URL('../verify.mjs', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-verify-cli-'));
test.after(() => fs.rmSync(dir, {recursive: true, force: true}));
const file = (name, content) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

function verify(...args) {
  const r = spawnSync(process.execPath, [VERIFY, ...args], {encoding: 'utf8'});
  const lines = r.stdout.trimEnd().split('\n');
  return {status: r.status, stdout: r.stdout, stderr: r.stderr, lines, json: args.includes('--json') ? JSON.parse(lines.at(-1)) : null};
}

// ---------------------------------------------------------------------------------------------
// export

const log = buildLog();
const leaves = log.map((e) => referenceLeaf(e.fields.caseId, e.fields.sequence, e.hash));
const signer = newSigner('example.test/log');
const fullCheckpoint = file('full.note', signer.sign('example.test/log', log.length, MTH(leaves)));
const CASE_A = log[0].fields.caseId;

test('export: an intact export exits 0 and prints the summary', () => {
  const r = verify('export', file('intact.ndjson', ndjson(log)), '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.lines[0], '18 events in 3 cases: 3 intact, 0 broken');
  assert.deepEqual(r.json, {verdict: 'intact', brokenCases: [], checkpoint: null});
});

test('export: a broken case exits 1 and is named with its sequence and line', () => {
  const r = verify('export', file('broken.ndjson', ndjson(log.filter((_, k) => k !== 6))), '--json');
  assert.equal(r.status, 1);
  assert.match(r.lines[0], new RegExp(`^case ${CASE_A}: broken at sequence 2 \\(line 9\\): MISSING`)); // the event found at 2 is on line 9
  assert.equal(r.lines[1], '17 events in 3 cases: 2 intact, 1 broken');
  assert.deepEqual(r.json.brokenCases, [{caseId: CASE_A, sequence: 2, line: 9, kind: 'MISSING'}]);
  assert.equal(r.json.verdict, 'broken');
});

test('export --checkpoint: the export the checkpoint commits to exits 0', () => {
  const r = verify('export', file('intact2.ndjson', ndjson(log)), '--checkpoint', fullCheckpoint, '--log-key', signer.vkey, '--json');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.lines[1], 'checkpoint 18: the export\'s first 18 events are the ones it commits to');
  assert.equal(r.json.checkpoint, 'match');
});

test('export --checkpoint: a deleted latest event passes the chains and fails the checkpoint', () => {
  const shortened = file('shortened.ndjson', ndjson(log.filter((_, k) => k !== 15)));
  assert.equal(verify('export', shortened).status, 0, 'the chains alone accept it');
  const r = verify('export', shortened, '--checkpoint', fullCheckpoint, '--log-key', signer.vkey, '--json');
  assert.equal(r.status, 1);
  assert.equal(r.lines[0], '17 events in 3 cases: 3 intact, 0 broken');
  assert.match(r.lines[1], /^checkpoint 18: MISSING/);
  assert.deepEqual(r.json, {verdict: 'intact', brokenCases: [], checkpoint: 'missing'});

  const of17 = file('17.note', signer.sign('example.test/log', 17, MTH(leaves.slice(0, 17))));
  const r2 = verify('export', shortened, '--checkpoint', of17, '--log-key', signer.vkey, '--json');
  assert.equal(r2.status, 1);
  assert.match(r2.lines[1], /^checkpoint 17: MISMATCH/);
  assert.equal(r2.json.checkpoint, 'mismatch');
});

test('export --checkpoint: a checkpoint that does not verify exits 1', () => {
  const other = newSigner('example.test/log');
  const r = verify('export', file('intact3.ndjson', ndjson(log)), '--checkpoint', fullCheckpoint, '--log-key', other.vkey, '--json');
  assert.equal(r.status, 1);
  assert.match(r.lines[1], /^checkpoint: does not verify/);
  assert.equal(r.json.checkpoint, 'invalid');
});

test('export: unreadable input exits 2', () => {
  assert.equal(verify('export', path.join(dir, 'no-such-file.ndjson')).status, 2);
  assert.equal(verify('export', dir).status, 2);
  const r = verify('export', file('bad.ndjson', ndjson(log) + '{"caseId": \n'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /:19: not an AuditedEvent/);
  assert.equal(verify('export', file('bad2.ndjson', '{"caseId":"c","time":"yesterday"}\n')).status, 2);
});

// ---------------------------------------------------------------------------------------------
// checkpoint

const exampleNote = file('example.note', EXAMPLE_NOTE);

test('checkpoint: the example verifies with the development key', () => {
  const r = verify('checkpoint', exampleNote, '--log-key', DEV_KEY);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines.slice(0, 3), ['origin: minqing.dev/12345', 'size: 3', 'root: fad7c4798cc45edea8718e9ae23ef3cd090969782dd1e3c75718859e04080f00']);
});

test('checkpoint: a changed byte, another key, exit 1; a bad key or no file, exit 2', () => {
  assert.equal(verify('checkpoint', file('changed.note', EXAMPLE_NOTE.replace('\n3\n', '\n4\n')), '--log-key', DEV_KEY).status, 1);
  assert.equal(verify('checkpoint', exampleNote, '--log-key', signer.vkey).status, 1);
  assert.equal(verify('checkpoint', exampleNote, '--log-key', DEV_KEY.replace('56b62fce', '56b62fcf')).status, 2);
  assert.equal(verify('checkpoint', exampleNote).status, 2);
  assert.equal(verify('checkpoint', path.join(dir, 'none.note'), '--log-key', DEV_KEY).status, 2);
});

// ---------------------------------------------------------------------------------------------
// inclusion: the worked example (leaf 1 of 3, in the example checkpoint)

const CASE_1 = '5b0f1f6e-2c1a-3d4e-9f00-000000000001';
const CASE_2 = '8c2d0a11-7e3b-3c5d-8a00-000000000002';
const example = [leafHash(CASE_1, 0, Buffer.alloc(32, 0x1f)), leafHash(CASE_1, 1, Buffer.alloc(32, 0x2f)), leafHash(CASE_2, 0, Buffer.alloc(32, 0x3f))];
const b64 = (b) => b.toString('base64');
const inclusionProof = {leafIndex: '1', leafHash: b64(example[1]), treeSize: '3', hashes: [b64(example[0]), b64(example[2])], chainHash: '2f'.repeat(32)};
const includes = (proof, options = {}, ...flags) => {
  const all = {checkpoint: exampleNote, 'log-key': DEV_KEY, case: CASE_1, sequence: '1', 'chain-hash': '2f'.repeat(32), ...options};
  return verify('inclusion', '--proof', file(`inclusion-${Math.random()}.json`, proof), ...Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]), ...flags);
};

test('inclusion: the worked example verifies', () => {
  const r = includes(inclusionProof, {}, '--json');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.json.verdict, 'verified');
});

test('inclusion: the wrong event, an altered path, another tree: exit 1', () => {
  assert.equal(includes(inclusionProof, {sequence: '0'}).status, 1);
  assert.equal(includes(inclusionProof, {case: CASE_2}).status, 1);
  assert.equal(includes({...inclusionProof, chainHash: undefined}, {'chain-hash': '1f'.repeat(32)}).status, 1);
  assert.equal(includes(inclusionProof, {'chain-hash': '1f'.repeat(32)}).status, 1);
  assert.equal(includes({...inclusionProof, chainHash: undefined}).status, 0);
  assert.equal(includes({...inclusionProof, hashes: [b64(example[2]), b64(example[0])]}).status, 1);
  assert.equal(includes({...inclusionProof, leafIndex: '2'}).status, 1);
  assert.equal(includes({...inclusionProof, treeSize: '4'}).status, 1);
  assert.equal(includes({...inclusionProof, leafHash: b64(example[0])}).status, 1);
});

test('inclusion: a checkpoint that does not verify fails the proof', () => {
  const impostor = newSigner('minqing.dev/12345');
  const forged = file('forged.note', impostor.sign('minqing.dev/12345', 3, MTH(example)));
  assert.equal(includes(inclusionProof, {checkpoint: forged}).status, 1);
  assert.equal(includes(inclusionProof, {checkpoint: forged, 'log-key': impostor.vkey}).status, 0);
});

test('inclusion: generated proofs of the synthetic log verify against its checkpoint', () => {
  for (const k of [0, 5, 17]) {
    const e = log[k];
    const proof = {treeSize: String(log.length), hashes: PATH(k, leaves).map(b64), leafHash: b64(leaves[k]), chainHash: e.hash};
    if (k) proof.leafIndex = String(k); // proto3 JSON omits 0
    const r = verify('inclusion', '--proof', file(`p${k}.json`, proof), '--checkpoint', fullCheckpoint, '--log-key', signer.vkey,
      '--case', e.fields.caseId, '--sequence', String(e.fields.sequence), '--chain-hash', e.hash);
    assert.equal(r.status, 0, `leaf ${k}: ${r.stdout}${r.stderr}`);
  }
});

test('inclusion: missing options or an unreadable proof exit 2', () => {
  assert.equal(verify('inclusion', '--proof', file('x.json', inclusionProof), '--checkpoint', exampleNote, '--log-key', DEV_KEY).status, 2);
  assert.equal(includes('not json').status, 2);
  assert.equal(includes({...inclusionProof, hashes: ['%%%']}).status, 2);
});

// ---------------------------------------------------------------------------------------------
// consistency

test('consistency: from 2 to 3 of the worked example verifies; altered, exit 1', () => {
  const exampleSigner = newSigner('example.test/worked');
  const old = file('two.note', exampleSigner.sign('example.test/worked', 2, MTH(example.slice(0, 2))));
  const now = file('three.note', exampleSigner.sign('example.test/worked', 3, MTH(example)));
  const consistent = (proof, o = old, n = now) => verify('consistency', '--proof', file(`c-${Math.random()}.json`, proof), '--old', o, '--new', n, '--log-key', exampleSigner.vkey);
  assert.deepEqual(PROOF(2, example), [example[2]]);
  assert.equal(consistent({firstTreeSize: '2', secondTreeSize: '3', hashes: [b64(example[2])]}).status, 0);
  assert.equal(consistent({firstTreeSize: '3', secondTreeSize: '3'}, now, now).status, 0);
  assert.equal(consistent({firstTreeSize: '2', secondTreeSize: '3', hashes: [b64(example[1])]}).status, 1);
  assert.equal(consistent({firstTreeSize: '2', secondTreeSize: '3'}).status, 1);
  assert.equal(consistent({firstTreeSize: '1', secondTreeSize: '3', hashes: [b64(example[2])]}).status, 1);
  assert.equal(consistent({firstTreeSize: '3', secondTreeSize: '2', hashes: [b64(example[2])]}, now, old).status, 1);
  const otherLog = file('other.note', exampleSigner.sign('example.test/other', 3, MTH(example)));
  assert.equal(consistent({firstTreeSize: '2', secondTreeSize: '3', hashes: [b64(example[2])]}, old, otherLog).status, 1);
});

test('consistency: generated proofs of the synthetic log verify', () => {
  for (const m of [1, 4, 7, 16]) {
    const old = file(`old${m}.note`, signer.sign('example.test/log', m, MTH(leaves.slice(0, m))));
    const r = verify('consistency', '--proof', file(`c${m}.json`, {firstTreeSize: String(m), secondTreeSize: '18', hashes: PROOF(m, leaves).map(b64)}),
      '--old', old, '--new', fullCheckpoint, '--log-key', signer.vkey, '--json');
    assert.equal(r.status, 0, `${m}: ${r.stdout}${r.stderr}`);
    assert.equal(r.json.verdict, 'verified');
  }
});

// ---------------------------------------------------------------------------------------------
// usage

test('usage errors exit 2', () => {
  assert.equal(verify().status, 2);
  assert.equal(verify('frobnicate').status, 2);
  assert.equal(verify('export').status, 2);
  assert.equal(verify('export', 'a', 'b').status, 2);
  assert.equal(verify('export', 'a', '--bogus', 'x').status, 2);
  assert.equal(verify('export', 'a', '--checkpoint').status, 2);
  assert.equal(verify('export', 'a', '--log-key', DEV_KEY).status, 2);
  assert.equal(verify('--help').status, 0);
});
