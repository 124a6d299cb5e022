// The chain hash's worked example in docs/audit.md ("The hash, byte by byte"), recomputed from
// its export line: the document and this verifier agree byte for byte.
import test from 'node:test';
import assert from 'node:assert/strict';
import {chainHash, parseEvent, GENESIS} from '../chain.mjs';

const FIRST = '{"caseId":"5b0f1f6e-2c1a-3d4e-9f00-000000000001","eventId":"e0000000-0000-4000-8000-000000000001","time":"2026-12-01T08:00:00.123Z","type":"minqing.v1.ProgressNoteAdded","payload":"eyJjYXNlSWQiOiI1YjBmMWY2ZS0yYzFhLTNkNGUtOWYwMC0wMDAwMDAwMDAwMDEiLCJub3RlIjoi5biC5rCR5p2l55S15YKs5YqeIn0=","metadata":{"actorId":"dev","actorRole":"dispatcher","correlationId":"c-0001","requestId":"r-0001"},"previousHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"0531b395e5c894f4a684f82104a833ef227b430e492139cca8d4100a5ff19237"}';

test('the documented first event hashes to its documented chain hash', () => {
  const event = parseEvent(JSON.parse(FIRST));
  assert.equal(event.previousHash, GENESIS);
  assert.equal(chainHash(event), '0531b395e5c894f4a684f82104a833ef227b430e492139cca8d4100a5ff19237');
});

test('the documented second event, chained from the first, hashes to its documented chain hash', () => {
  const second = parseEvent({...JSON.parse(FIRST), sequence: '1', eventId: 'e0000000-0000-4000-8000-000000000002',
    time: '2026-12-01T08:05:00Z', previousHash: '0531b395e5c894f4a684f82104a833ef227b430e492139cca8d4100a5ff19237'});
  assert.equal(chainHash(second), '8854a88bf9466793291a3275bd23ac68a5a1d9d4c52120f201bee80fb2e778dd');
});
