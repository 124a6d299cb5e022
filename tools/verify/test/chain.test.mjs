// The chain: the hash against the reference written from the Python sketch, the proto3 JSON
// reading, and the verification of a synthetic export, intact and tampered with.

import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {chainHash, parseEvent, timestampMillis, decodeInt64, CaseTracker, GENESIS, FormatError} from '../chain.mjs';
import {verifyExport} from '../verify.mjs';
import {buildLog, buildCase, ndjson, toJson, eventFields, referenceChainHash, referenceLeaf, MTH, rfc3339} from '../testkit.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-verify-chain-'));
test.after(() => fs.rmSync(dir, {recursive: true, force: true}));
let files = 0;
const write = (text) => {
  const file = path.join(dir, `export-${files++}.ndjson`);
  fs.writeFileSync(file, text);
  return file;
};

const CASE_A = '5b0f1f6e-2c1a-3d4e-9f00-000000000001';

// ---------------------------------------------------------------------------------------------
// The hash

test('the chain hash of every synthetic event is the reference one, read back from its proto3 JSON', () => {
  for (const e of buildLog()) {
    const parsed = parseEvent(toJson(e.fields, e.previous, e.hash, 'p'));
    assert.equal(chainHash(parsed), e.hash);
    assert.equal(chainHash(parsed), referenceChainHash(e.previous, e.fields));
  }
});

test('the chain hash covers every covered field and no other', () => {
  const fields = eventFields(CASE_A, 3);
  const base = parseEvent(toJson(fields, GENESIS, 'x', 'p'));
  const h = chainHash(base);
  const differs = (change) => {
    const obj = JSON.parse(JSON.stringify(toJson(fields, GENESIS, 'x', 'p')));
    change(obj);
    return chainHash(parseEvent(obj)) !== h;
  };
  assert.ok(differs((o) => { o.caseId += 'x'; }), 'case');
  assert.ok(differs((o) => { o.sequence = '4'; }), 'sequence');
  assert.ok(differs((o) => { o.eventId += 'x'; }), 'event id');
  assert.ok(differs((o) => { o.time = '2026-12-01T22:10:05.235Z'; }), 'time');
  assert.ok(differs((o) => { o.type += 'x'; }), 'type');
  assert.ok(differs((o) => { o.payload = Buffer.from('{}').toString('base64'); }), 'payload');
  assert.ok(differs((o) => { o.previousHash = '1'.repeat(64); }), 'previous');
  assert.ok(differs((o) => { o.metadata.actorId += 'x'; }), 'a covered value');
  assert.ok(differs((o) => { o.metadata.causationId = 'c'; }), 'a covered key added');
  assert.ok(differs((o) => { delete o.metadata.actorRole; }), 'a covered key removed');
  assert.ok(!differs((o) => { o.metadata.uncoveredKey = 'changed'; }), 'uncovered metadata');
  assert.ok(!differs((o) => { o.event = {'@type': 'type.googleapis.com/minqing.v1.CaseClosed'}; }), 'the decoded event');
  assert.ok(!differs((o) => { o.position = 'elsewhere'; }), 'position');
  assert.ok(!differs((o) => { o.time = '2026-12-01T22:10:05.234999999Z'; }), 'sub-millisecond digits'); // 22:10:05.234 in fields
});

test('the chain hash of unusual events matches the reference', () => {
  const cases = [
    {caseId: '', sequence: 0, eventId: '', millis: 0, type: '', payload: Buffer.alloc(0), metadata: {}},
    {caseId: '案件-一', sequence: 123456789012, eventId: 'é\u{1F600}', millis: -1, type: 'minqing.v1.CaseReported', payload: Buffer.alloc(100000, 0xff), metadata: {requestId: '', method: '接收', zzz: 'no'}},
    {caseId: 'c', sequence: 7, eventId: 'e', millis: 253402300799999, type: 't', payload: Buffer.from('{"a":1}'),
      metadata: Object.fromEntries(['requestId', 'partnerSystem', 'method', 'correlationId', 'causationId', 'actorRole', 'actorOrganization', 'actorId'].map((k) => [k, `${k}!`]))},
  ];
  for (const f of cases) {
    const obj = {caseId: f.caseId, sequence: String(f.sequence), eventId: f.eventId, time: rfc3339(f.millis, 9), type: f.type,
      payload: f.payload.toString('base64'), metadata: f.metadata, previousHash: GENESIS, hash: ''};
    assert.equal(chainHash(parseEvent(obj)), referenceChainHash(GENESIS, f), JSON.stringify(f.caseId));
  }
});

test('proto3 JSON: defaults omitted, int64 strings, timestamps with 0 to 9 digits and offsets', () => {
  const e = parseEvent({caseId: 'c'});
  assert.equal(e.sequence, '0');
  assert.equal(e.eventId, '');
  assert.equal(e.millis, '0');
  assert.equal(e.payload.length, 0);
  assert.deepEqual(e.covered, []);
  assert.equal(e.hash, '');

  assert.equal(decodeInt64('12', 's'), '12');
  assert.equal(decodeInt64(12, 's'), '12');
  assert.equal(decodeInt64('007', 's'), '7');
  assert.throws(() => decodeInt64('1.5', 's'), FormatError);
  assert.throws(() => decodeInt64(true, 's'), FormatError);

  const t = Date.UTC(2026, 11, 1, 22, 10, 2);
  assert.equal(timestampMillis('2026-12-01T22:10:02Z'), t);
  assert.equal(timestampMillis('2026-12-01T22:10:02.1Z'), t + 100);
  assert.equal(timestampMillis('2026-12-01T22:10:02.123Z'), t + 123);
  assert.equal(timestampMillis('2026-12-01T22:10:02.123999Z'), t + 123);
  assert.equal(timestampMillis('2026-12-01T22:10:02.123456789Z'), t + 123);
  assert.equal(timestampMillis('2026-12-02T06:10:02.123+08:00'), t + 123);
  assert.equal(timestampMillis('2026-12-01T17:10:02.123-05:00'), t + 123);
  assert.equal(timestampMillis('1969-12-31T23:59:59.500Z'), -500); // seconds -1, nanos 500 000 000
  assert.equal(timestampMillis('0001-01-01T00:00:00Z'), -62135596800000);
  assert.equal(timestampMillis('2028-02-29T00:00:00Z'), Date.UTC(2028, 1, 29));
  for (const bad of ['2026-12-01 22:10:02Z', '2026-12-01T22:10:02', '2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z',
    '2026-12-01T24:00:00Z', '2026-12-01T22:10:02.1234567890Z', 1733090000]) {
    assert.throws(() => timestampMillis(bad), FormatError, String(bad));
  }
  assert.throws(() => parseEvent({caseId: 'c', payload: 'not base64!'}), FormatError);
  assert.throws(() => parseEvent({caseId: 7}), FormatError);
  assert.throws(() => parseEvent([]), FormatError);
});

test('the case tracker: rules 1 to 4', () => {
  const events = buildCase(CASE_A, 4).map((e) => parseEvent(toJson(e.fields, e.previous, e.hash, 'p')));
  const run = (list) => {
    const t = new CaseTracker(CASE_A);
    list.forEach((e, k) => t.add(e, k + 1));
    return t;
  };
  const intact = run(events);
  assert.equal(intact.firstBreak, null);
  assert.equal(intact.head, events[3].hash);
  assert.equal(run([{...events[0], hash: events[0].hash.toUpperCase()}]).firstBreak.rule, 1);
  assert.equal(run([{...events[0], previousHash: ''}]).firstBreak.rule, 1);
  assert.equal(run([{...events[0], eventId: 'x'}]).firstBreak.rule, 2);
  assert.equal(run([events[0], events[2]]).firstBreak.rule, 3);
  const rehashed = {...events[1], previousHash: '1'.repeat(64)};
  rehashed.hash = chainHash(rehashed);
  assert.equal(run([events[0], rehashed]).firstBreak.rule, 4);
});

// ---------------------------------------------------------------------------------------------
// A synthetic export: three cases of six events, interleaved (log index = 3 × sequence + case)

const log = buildLog();
const indexOf = (caseNo, sequence) => 3 * sequence + caseNo;
const without = (...indexes) => log.filter((_, k) => !indexes.includes(k));

async function verdict(events, checkpoint = null) {
  const result = await verifyExport(write(typeof events === 'string' ? events : ndjson(events)), checkpoint);
  return {...result, broken: Object.fromEntries(result.breaks.map((b) => [b.caseId, b]))};
}

test('the synthetic export is intact', async () => {
  const r = await verdict(log);
  assert.equal(r.events, 18);
  assert.equal(r.cases, 3);
  assert.deepEqual(r.breaks, []);
});

test('blank lines are skipped and line numbers count them', async () => {
  const text = '\n' + ndjson(log).replace(/\n/g, '\n\n');
  const r = await verdict(text);
  assert.equal(r.events, 18);
  assert.deepEqual(r.breaks, []);
  const tampered = ndjson(without(indexOf(0, 2))).split('\n');
  tampered.splice(0, 0, '', '  ');
  const b = (await verdict(tampered.join('\r\n'))).broken[CASE_A];
  assert.equal(b.line, 2 + (indexOf(0, 3) - 1) + 1); // two blank lines, then the event of sequence 3, one place earlier
});

test('a changed payload byte: ALTERED at that event', async () => {
  const changed = log.map((e) => ({...e, fields: {...e.fields}}));
  const target = changed[indexOf(0, 2)];
  const payload = Buffer.from(target.fields.payload);
  payload[10] ^= 0x20;
  target.fields.payload = payload;
  const r = await verdict(changed);
  assert.deepEqual(Object.keys(r.broken), [CASE_A]);
  assert.equal(r.broken[CASE_A].kind, 'ALTERED');
  assert.equal(r.broken[CASE_A].sequence, 2);
  assert.equal(r.broken[CASE_A].line, indexOf(0, 2) + 1);
});

test('a deleted middle event: MISSING at its place', async () => {
  const r = await verdict(without(indexOf(0, 2)));
  assert.deepEqual(Object.keys(r.broken), [CASE_A]);
  assert.equal(r.broken[CASE_A].kind, 'MISSING');
  assert.equal(r.broken[CASE_A].sequence, 2);
});

test('two events swapped: REORDERED at the first', async () => {
  const swapped = [...log];
  [swapped[indexOf(0, 2)], swapped[indexOf(0, 3)]] = [swapped[indexOf(0, 3)], swapped[indexOf(0, 2)]];
  const r = await verdict(swapped);
  assert.deepEqual(Object.keys(r.broken), [CASE_A]);
  assert.equal(r.broken[CASE_A].kind, 'REORDERED');
  assert.equal(r.broken[CASE_A].sequence, 2);
});

test('an event put in, chained properly: INSERTED at its place', async () => {
  const extra = eventFields(CASE_A, 2, 1); // another event for position 2, chaining from 1
  const inserted = {fields: extra, previous: log[indexOf(0, 1)].hash, hash: referenceChainHash(log[indexOf(0, 1)].hash, extra)};
  const r = await verdict([...log.slice(0, indexOf(0, 2)), inserted, ...log.slice(indexOf(0, 2))]);
  assert.deepEqual(Object.keys(r.broken), [CASE_A]);
  assert.equal(r.broken[CASE_A].kind, 'INSERTED');
  assert.equal(r.broken[CASE_A].sequence, 2);
});

test('an event replaced by one hashed anew: ALTERED at the replaced one', async () => {
  const extra = eventFields(CASE_A, 2, 1);
  const replaced = [...log];
  replaced[indexOf(0, 2)] = {fields: extra, previous: log[indexOf(0, 1)].hash, hash: referenceChainHash(log[indexOf(0, 1)].hash, extra)};
  const r = await verdict(replaced);
  assert.equal(r.broken[CASE_A].kind, 'ALTERED');
  assert.equal(r.broken[CASE_A].sequence, 2);
  assert.match(r.broken[CASE_A].detail, /replaced/);
});

test('an event hashed for an earlier position that does not chain from the event before it: ALTERED', async () => {
  const changed = [...log];
  const stale = eventFields(CASE_A, 2, 1);
  changed[indexOf(0, 4)] = {fields: stale, previous: '2'.repeat(64), hash: referenceChainHash('2'.repeat(64), stale)};
  const r = await verdict(changed);
  assert.equal(r.broken[CASE_A].kind, 'ALTERED');
  assert.equal(r.broken[CASE_A].sequence, 4);
});

test('a copy of an earlier event appended to its case: broken (INSERTED by the table, README question 9)', async () => {
  const r = await verdict([...log, log[indexOf(0, 2)]]);
  assert.deepEqual(Object.keys(r.broken), [CASE_A]);
  assert.equal(r.broken[CASE_A].kind, 'INSERTED');
  assert.equal(r.broken[CASE_A].sequence, 2);
});

test('a changed sequence number, a removed chain record, a changed covered metadata value: ALTERED', async () => {
  const lines = ndjson(log).split('\n');
  const edit = (k, change) => {
    const copy = [...lines];
    const obj = JSON.parse(copy[k]);
    change(obj);
    copy[k] = JSON.stringify(obj);
    return copy.join('\n');
  };
  for (const [what, change] of [
    ['sequence', (o) => { o.sequence = '9'; }],
    ['chain record', (o) => { delete o.hash; delete o.previousHash; }],
    ['metadata', (o) => { o.metadata.actorRole = 'supervisor'; }],
    ['time', (o) => { o.time = '2026-12-01T22:10:05.000Z'; }],
  ]) {
    const r = await verdict(edit(indexOf(0, 3), change));
    assert.deepEqual(Object.keys(r.broken), [CASE_A], what);
    assert.equal(r.broken[CASE_A].kind, 'ALTERED', what);
    assert.equal(r.broken[CASE_A].sequence, 3, what);
  }
  const r = await verdict(edit(indexOf(0, 3), (o) => { o.metadata.uncoveredKey = 'changed'; o.event = {}; }));
  assert.deepEqual(r.breaks, [], 'uncovered metadata and the decoded event are not hashed');
});

test('a deleted first event: MISSING at 0', async () => {
  const r = await verdict(without(indexOf(0, 0)));
  assert.equal(r.broken[CASE_A].kind, 'MISSING');
  assert.equal(r.broken[CASE_A].sequence, 0);
});

test('a first event that does not chain from the genesis value: ALTERED at 0', async () => {
  const changed = [...log];
  const first = log[indexOf(0, 0)];
  changed[indexOf(0, 0)] = {...first, previous: '1'.repeat(64), hash: referenceChainHash('1'.repeat(64), first.fields)};
  const r = await verdict(changed);
  assert.equal(r.broken[CASE_A].kind, 'ALTERED');
  assert.equal(r.broken[CASE_A].sequence, 0);
});

// ---------------------------------------------------------------------------------------------
// A deleted latest event: the chains accept it, a checkpoint catches it

const checkpointOf = (events) => ({
  ok: true,
  size: BigInt(events.length),
  root: MTH(events.map((e) => referenceLeaf(e.fields.caseId, e.fields.sequence, e.hash))),
});

test('the export matches a checkpoint of all of it, and of a prefix', async () => {
  assert.equal((await verdict(log, checkpointOf(log))).checkpoint.status, 'match');
  assert.equal((await verdict(log, checkpointOf(log.slice(0, 7)))).checkpoint.status, 'match');
  assert.equal((await verdict(log, checkpointOf([]))).checkpoint.status, 'match');
});

test('a deleted latest event: the chains are intact, the checkpoint says MISSING or MISMATCH', async () => {
  const latest = indexOf(0, 5); // case A's latest event, log index 15 of 18
  const shortened = without(latest);
  const r = await verdict(shortened, checkpointOf(log));
  assert.deepEqual(r.breaks, [], 'the shortened chain is still internally consistent');
  assert.equal(r.checkpoint.status, 'missing');

  const r2 = await verdict(shortened, checkpointOf(log.slice(0, 17)));
  assert.deepEqual(r2.breaks, []);
  assert.equal(r2.checkpoint.status, 'mismatch');

  const r3 = await verdict(log.slice(0, -1), checkpointOf(log));
  assert.deepEqual(r3.breaks, []);
  assert.equal(r3.checkpoint.status, 'missing');
});

test('an export rewritten in order, every chain intact, does not match the checkpoint', async () => {
  const reordered = [...log];
  [reordered[0], reordered[1]] = [reordered[1], reordered[0]]; // two cases' events swapped in the log
  const r = await verdict(reordered, checkpointOf(log));
  assert.deepEqual(r.breaks, []);
  assert.equal(r.checkpoint.status, 'mismatch');
});
