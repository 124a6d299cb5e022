#!/usr/bin/env node
// An independent verifier of Minqing's audit exports, checkpoints and proofs, written from
// docs/audit.md alone (see README.md). Node.js 20, no dependencies.
//
//   node tools/verify/verify.mjs export FILE [--checkpoint NOTE --log-key VKEY] [--json]
//   node tools/verify/verify.mjs checkpoint NOTE --log-key VKEY [--json]
//   node tools/verify/verify.mjs inclusion --proof FILE.json --checkpoint NOTE --log-key VKEY \
//        --case CASE_ID --sequence N --chain-hash HEX [--json]
//   node tools/verify/verify.mjs consistency --proof FILE.json --old NOTE --new NOTE --log-key VKEY [--json]
//
// Exit status: 0 everything verified, 1 something does not verify, 2 usage error or unreadable input.

import * as fs from 'node:fs';
import {pathToFileURL} from 'node:url';
import {parseEvent, CaseTracker, classifyBreak, hashBytes, FormatError, WINDOW} from './chain.mjs';
import {
  leafHash, TreeBuilder, verifyInclusion, verifyConsistency, verifyCheckpoint, parseVerifierKey,
  parseInclusionProof, parseConsistencyProof,
} from './merkle.mjs';

const USAGE = `usage:
  verify.mjs export FILE [--checkpoint NOTE --log-key VKEY] [--json]
  verify.mjs checkpoint NOTE --log-key VKEY [--json]
  verify.mjs inclusion --proof FILE.json --checkpoint NOTE --log-key VKEY --case CASE_ID --sequence N --chain-hash HEX [--json]
  verify.mjs consistency --proof FILE.json --old NOTE --new NOTE --log-key VKEY [--json]
exit status: 0 verified, 1 does not verify, 2 usage error or unreadable input`;

/** Bad arguments (showUsage) or input that cannot be read: exit status 2. */
export class UsageError extends Error {
  constructor(message, showUsage = false) {
    super(message);
    this.showUsage = showUsage;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading inputs

function readText(path, what) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e.code ?? e.message}`);
  }
}

function readJson(path, what) {
  try {
    return JSON.parse(readText(path, what));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${what} ${path} is not JSON: ${e.message}`);
  }
}

function verifierKey(text) {
  if (text === undefined) throw new UsageError('--log-key VKEY is required', true);
  try {
    return parseVerifierKey(text);
  } catch (e) {
    throw new UsageError(`--log-key: ${e.message}`);
  }
}

function checkpointFile(path, verifier) {
  return verifyCheckpoint(readText(path, 'checkpoint'), verifier);
}

/**
 * Calls onEvent(event, line) for each non-blank line of an NDJSON file, in order, with its 1-based
 * line number, streaming: the file is read in chunks and split into lines here (no per-line
 * promise, which is what makes readline's async iterator slow on large exports).
 */
async function forEachEvent(path, onEvent) {
  let line = 0;
  const handle = (text) => {
    line++;
    if (text.trim() === '') return;
    let event;
    try {
      event = parseEvent(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`${path}:${line}: not an AuditedEvent: ${e instanceof FormatError ? e.message : `not JSON (${e.message})`}`);
    }
    onEvent(event, line);
  };
  let rest = '';
  try {
    for await (const chunk of fs.createReadStream(path, {encoding: 'utf8', highWaterMark: 1 << 20})) {
      let start = 0;
      let end = chunk.indexOf('\n');
      if (end >= 0 && rest !== '') { handle(rest + chunk.slice(0, end)); rest = ''; start = end + 1; end = chunk.indexOf('\n', start); }
      for (; end >= 0; start = end + 1, end = chunk.indexOf('\n', start)) handle(chunk.slice(start, end));
      rest += chunk.slice(start);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read export ${path}: ${e.code ?? e.message}`);
  }
  if (rest !== '') handle(rest);
}

// ---------------------------------------------------------------------------------------------
// export

/**
 * Verifies every case's chain, and the first `checkpoint.size` events against the checkpoint's
 * root when one is given (already verified: {ok, size, root}). Two passes over the file: the
 * first decides every verdict keeping one hash per case; the second, only when some case is
 * broken, keeps the events around each first break to classify it.
 */
export async function verifyExport(path, checkpoint = null) {
  const cases = new Map();
  let count = 0;
  const tree = checkpoint?.ok ? new TreeBuilder() : null;
  const want = tree ? Number(checkpoint.size) : 0;
  let leafProblem = null;

  await forEachEvent(path, (event, line) => {
    count++;
    let tracker = cases.get(event.caseId);
    if (!tracker) cases.set(event.caseId, tracker = new CaseTracker(event.caseId));
    tracker.add(event, line);
    if (tree && !leafProblem && tree.size < want) {
      // The leaf commits to the chain hash as exported; an event without one (written before
      // the chain existed) has an empty hash: README, question 6.
      const chain = event.hash === '' ? Buffer.alloc(0) : hashBytes(event.hash);
      if (chain) tree.push(leafHash(event.caseId, event.sequence, chain));
      else leafProblem = {line, detail: 'its hash is not 64 lowercase hex digits, so it has no leaf'};
    }
  });

  const broken = [...cases.values()].filter((t) => t.firstBreak).sort((a, b) => a.firstBreak.line - b.firstBreak.line);
  const breaks = broken.length ? await classifyAll(path, broken) : [];

  let checkpointResult = null;
  if (checkpoint) {
    if (!checkpoint.ok) checkpointResult = {status: 'invalid', reason: checkpoint.reason};
    else if (leafProblem) checkpointResult = {status: 'mismatch', size: want, ...leafProblem};
    else if (tree.size < want) checkpointResult = {status: 'missing', size: want, have: tree.size};
    else {
      const root = tree.root();
      checkpointResult = root.equals(checkpoint.root)
        ? {status: 'match', size: want}
        : {status: 'mismatch', size: want, root, expected: checkpoint.root};
    }
  }
  return {events: count, cases: cases.size, breaks, checkpoint: checkpointResult};
}

async function classifyAll(path, broken) {
  // A break of rule 1 (no chain record) is ALTERED where it is: nothing around it to look at.
  const windows = new Map(broken.filter((t) => t.firstBreak.rule !== 1).map((t) => [t.caseId, {tracker: t, seen: 0, kept: new Map()}]));
  if (windows.size) {
    await forEachEvent(path, (event, line) => {
      const w = windows.get(event.caseId);
      if (!w) return;
      const k = w.seen++;
      const d = w.tracker.firstBreak.index;
      if (k >= d - WINDOW - 1 && k <= d + WINDOW) w.kept.set(k, {event, line});
    });
  }
  return broken.map((t) => {
    const {index, line, detail} = t.firstBreak;
    if (!windows.has(t.caseId)) return {caseId: t.caseId, events: t.count, kind: 'ALTERED', sequence: index, line, detail};
    const kept = windows.get(t.caseId).kept;
    return {caseId: t.caseId, events: t.count, ...classifyBreak((k) => kept.get(k), index)};
  });
}

// ---------------------------------------------------------------------------------------------
// Commands

const hex = (bytes) => Buffer.from(bytes).toString('hex');

async function exportCommand(args, out) {
  const [file, ...extra] = args.positional;
  if (!file || extra.length) throw new UsageError('export takes one FILE', true);
  let checkpoint = null;
  if (args.options.checkpoint !== undefined) {
    checkpoint = checkpointFile(args.options.checkpoint, verifierKey(args.options['log-key']));
  } else if (args.options['log-key'] !== undefined) {
    throw new UsageError('--log-key is for --checkpoint', true);
  }
  const result = await verifyExport(file, checkpoint);

  for (const b of result.breaks) {
    out.push(`case ${b.caseId}: broken at sequence ${b.sequence} (line ${b.line}): ${b.kind}: ${b.detail}`);
  }
  const intact = result.cases - result.breaks.length;
  out.push(`${result.events} events in ${result.cases} cases: ${intact} intact, ${result.breaks.length} broken`);
  const c = result.checkpoint;
  if (c?.status === 'invalid') out.push(`checkpoint: does not verify: ${c.reason}`);
  else if (c?.status === 'match') out.push(`checkpoint ${c.size}: the export's first ${c.size} events are the ones it commits to`);
  else if (c?.status === 'missing') out.push(`checkpoint ${c.size}: MISSING: the export has only ${c.have} events; the checkpoint commits to ${c.size}`);
  else if (c?.status === 'mismatch' && c.line) out.push(`checkpoint ${c.size}: MISMATCH: the event of line ${c.line}: ${c.detail}`);
  else if (c?.status === 'mismatch') {
    out.push(`checkpoint ${c.size}: MISMATCH: the export's first ${c.size} events have root ${hex(c.root)}, the checkpoint commits to ${hex(c.expected)}`);
  }
  const json = {
    verdict: result.breaks.length ? 'broken' : 'intact',
    brokenCases: result.breaks.map((b) => ({caseId: b.caseId, sequence: b.sequence, line: b.line, kind: b.kind})),
    checkpoint: c ? c.status : null,
  };
  return {ok: !result.breaks.length && (!c || c.status === 'match'), json};
}

function checkpointCommand(args, out) {
  const [file, ...extra] = args.positional;
  if (!file || extra.length) throw new UsageError('checkpoint takes one NOTE', true);
  const cp = checkpointFile(file, verifierKey(args.options['log-key']));
  if (!cp.ok) {
    out.push(`checkpoint ${file}: does not verify: ${cp.reason}`);
    return {ok: false, json: {verdict: 'failed', reason: cp.reason}};
  }
  out.push(`origin: ${cp.origin}`, `size: ${cp.size}`, `root: ${hex(cp.root)}`);
  if (cp.extensions.length) out.push(`extension lines (signed, not interpreted): ${cp.extensions.length}`);
  out.push('signature: verified');
  return {ok: true, json: {verdict: 'verified', origin: cp.origin, size: String(cp.size), root: hex(cp.root)}};
}

function required(args, ...names) {
  for (const name of names) if (args.options[name] === undefined) throw new UsageError(`--${name} is required`, true);
  if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]}`, true);
}

function inclusionCommand(args, out) {
  required(args, 'proof', 'checkpoint', 'log-key', 'case', 'sequence', 'chain-hash');
  const o = args.options;
  if (!/^(0|[1-9][0-9]*)$/.test(o.sequence)) throw new UsageError('--sequence is the 0-based sequence number in the case', true);
  if (!/^[0-9a-fA-F]{64}$/.test(o['chain-hash'])) throw new UsageError('--chain-hash is 64 hex digits', true);
  const chain = Buffer.from(o['chain-hash'], 'hex');
  const verifier = verifierKey(o['log-key']);
  let proof;
  try {
    proof = parseInclusionProof(readJson(o.proof, 'proof'));
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`proof ${o.proof}: ${e.message}`);
    throw e;
  }
  const cp = checkpointFile(o.checkpoint, verifier);

  const failed = (reason) => {
    out.push(`inclusion: does not verify: ${reason}`);
    return {ok: false, json: {verdict: 'failed', reason}};
  };
  if (!cp.ok) return failed(`checkpoint: ${cp.reason}`);
  if (proof.chainHash !== '' && proof.chainHash.toLowerCase() !== hex(chain)) {
    return failed(`the proof is for chain hash ${proof.chainHash}, not ${hex(chain)}`);
  }
  const leaf = leafHash(o.case, o.sequence, chain);
  if (!leaf.equals(proof.leafHash)) {
    return failed(`the leaf of case ${o.case} sequence ${o.sequence} is ${hex(leaf)}, the proof's is ${hex(proof.leafHash)}`);
  }
  if (proof.treeSize !== cp.size) return failed(`the proof is for a tree of ${proof.treeSize}, the checkpoint's has ${cp.size}`);
  const reason = verifyInclusion(proof.leafIndex, cp.size, leaf, proof.hashes, cp.root);
  if (reason) return failed(reason);
  out.push(`inclusion: case ${o.case} sequence ${o.sequence} is leaf ${proof.leafIndex} of the ${cp.size} events checkpoint ${cp.origin} commits to`);
  return {ok: true, json: {verdict: 'verified', leafIndex: String(proof.leafIndex), treeSize: String(cp.size), leafHash: hex(leaf)}};
}

function consistencyCommand(args, out) {
  required(args, 'proof', 'old', 'new', 'log-key');
  const o = args.options;
  const verifier = verifierKey(o['log-key']);
  let proof;
  try {
    proof = parseConsistencyProof(readJson(o.proof, 'proof'));
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`proof ${o.proof}: ${e.message}`);
    throw e;
  }
  const older = checkpointFile(o.old, verifier);
  const newer = checkpointFile(o.new, verifier);

  const failed = (reason) => {
    out.push(`consistency: does not verify: ${reason}`);
    return {ok: false, json: {verdict: 'failed', reason}};
  };
  if (!older.ok) return failed(`old checkpoint: ${older.reason}`);
  if (!newer.ok) return failed(`new checkpoint: ${newer.reason}`);
  if (older.origin !== newer.origin) return failed(`the checkpoints are of two logs: ${older.origin} and ${newer.origin}`);
  if (proof.firstTreeSize !== older.size || proof.secondTreeSize !== newer.size) {
    return failed(`the proof is from ${proof.firstTreeSize} to ${proof.secondTreeSize}, the checkpoints are of ${older.size} and ${newer.size}`);
  }
  const reason = verifyConsistency(older.size, newer.size, older.root, newer.root, proof.hashes);
  if (reason) return failed(reason);
  out.push(`consistency: the tree of ${newer.size} extends the tree of ${older.size} (${newer.origin})`);
  return {ok: true, json: {verdict: 'verified', firstTreeSize: String(older.size), secondTreeSize: String(newer.size)}};
}

const COMMANDS = {export: exportCommand, checkpoint: checkpointCommand, inclusion: inclusionCommand, consistency: consistencyCommand};
const VALUED = new Set(['checkpoint', 'log-key', 'proof', 'case', 'sequence', 'chain-hash', 'old', 'new']);

export function parseArgs(argv) {
  const positional = [];
  const options = {};
  let json = false;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '--json') { json = true; continue; }
    if (!arg.startsWith('--')) { positional.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!VALUED.has(name)) throw new UsageError(`unknown option --${name}`, true);
    const value = eq < 0 ? argv[++k] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`, true);
    if (name in options) throw new UsageError(`--${name} given twice`, true);
    options[name] = value;
  }
  return {positional, options, json};
}

/** Runs the command line; returns the exit status and the lines to print. */
export async function run(argv) {
  const out = [];
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return {status: 0, out: [USAGE], err: []};
  try {
    if (!COMMANDS[command]) throw new UsageError(command ? `unknown command ${command}` : 'no command', true);
    const args = parseArgs(rest);
    const {ok, json} = await COMMANDS[command](args, out);
    if (args.json) out.push(JSON.stringify(json));
    return {status: ok ? 0 : 1, out, err: []};
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return {status: 2, out, err: [`verify: ${e.message}`, ...(e.showUsage ? [USAGE] : [])]};
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const {status, out, err} = await run(process.argv.slice(2));
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  if (err.length) process.stderr.write(err.join('\n') + '\n');
  process.exitCode = status;
}
