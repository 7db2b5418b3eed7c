// diff.js: differential test of sfc's runtime against aws-local-stepfunctions 3.0.0.
//
//   node tests/differential/diff.js --driver build/asan/diff_driver [--seed S] [--count N]
//                                   [--sfc build/asan/sfc --cli N]
//
// Generates COUNT cases (seeds S, S+1, ...) with gen.js, runs them all through the C
// driver (one process, the runtime library under the sanitizers; with --sfc, the first
// N of them also through `sfc run --mocks`, the task answers written as a
// MockConfigFile, so the command, the checker and mocks.c take part) and each through
// aws-local-stepfunctions's StateMachine (not validated unless --validate 1, then with
// checkPaths and checkArn off; the same task answers from tasks.js; every Wait and
// retry interval 0), and compares: the status;
// for SUCCEEDED the output (as JSON values: key order and 1 vs 1.0 aside); for FAILED
// the error, and the cause unless the error is one of the States.* errors the engine
// words itself (DEVIATIONS.md); and the path, the top-level states entered in order
// (from local-sfn's event log and sfc's history; a state entered again straight after
// itself, as a retry may show it, counted once). Each disagreement is printed with the definition, the
// input and both results. Ends with "differential: N passed, N failed".
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { generate } = require('./gen.js');
const { handlers, walk } = require('./tasks.js');

// aws-local-stepfunctions 3.0.0 wants Node 22 for one call, Promise.withResolvers (ES2024),
// in its Task timeout; on Node 20 every Task would fail with a TypeError without it.
if (!Promise.withResolvers) {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new this((a, b) => { resolve = a; reject = b; });
    return { promise, resolve, reject };
  };
}
const { StateMachine } = require(path.join(__dirname, '..', 'node_modules', 'aws-local-stepfunctions'));

function args() {
  const o = { seed: 1, count: 100, driver: null, show: 20, validate: 0, sfc: null, cli: 0 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, '');
    if (!(k in o) || i + 1 >= a.length) { console.error(`usage: diff.js --driver PATH [--seed S] [--count N] [--show N] [--validate 1] [--sfc PATH --cli N]`); process.exit(2); }
    o[k] = k === 'driver' || k === 'sfc' ? a[++i] : Number(a[++i]);
  }
  if (!o.driver) { console.error('diff.js: --driver PATH is required'); process.exit(2); }
  return o;
}

// One run on aws-local-stepfunctions: {status, output} or {status, error, cause}.
async function reference(c, validate) {
  let sm;
  try {
    // local-sfn writes into the definition it is given: a copy. Its validation (ajv, a
    // few hundred ms a definition) is for --validate: gen.js writes valid definitions.
    const validationOptions = validate ? { checkPaths: false, checkArn: false } : { noValidate: true };
    sm = new StateMachine(JSON.parse(JSON.stringify(c.definition)), { validationOptions });
  } catch (e) {
    return { status: 'REJECTED', error: e.name, cause: e.message };
  }
  const waits = {}, retries = {};
  walk(c.definition, (name, s) => {
    if (s.Type === 'Wait') waits[name] = 0;
    if (s.Retry) retries[name] = 0;
  });
  const run = sm.run(c.input, {
    overrides: { taskResourceLocalHandlers: handlers(c.definition), waitTimeOverrides: waits, retryIntervalOverrides: retries },
  });
  // the top-level states entered, as driver.c lists them from sfc's history
  const entered = [];
  const logged = (async () => {
    for await (const e of run.eventLogs) {
      const name = e.type === 'StateEntered' && e.state && e.state.name;
      if (name && c.definition.States[name] && entered[entered.length - 1] !== name) entered.push(name);
    }
  })();
  let timer;
  const hang = new Promise((resolve) => { timer = setTimeout(() => resolve('hang'), 20000); });
  try {
    const out = await Promise.race([run.result, hang]);
    if (out === 'hang') { run.abort(); return { status: 'HANG' }; }
    await logged;
    return { status: 'SUCCEEDED', output: out, path: entered };
  } catch (e) {
    if (e.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: 'States.Timeout' };
    const err = e.name === 'ExecutionError' && e.cause ? e.cause : e;
    await logged;
    return { status: 'FAILED', error: err.name, cause: err.message, path: entered };
  } finally {
    clearTimeout(timer);
  }
}

// The task answers of tasks.js as a MockConfigFile for machine M, test case T (Run
// commands for echo and wrap, numbered calls for flaky, one Throw for fail).
function mockFile(definition) {
  const states = {};
  walk(definition, (name, s) => {
    if (s.Type !== 'Task') return;
    const fn = (/:function:(.*)$/.exec(s.Resource) || [])[1] || '';
    let k;
    if (fn === 'echo') states[name] = { Run: 'cat' };
    else if (fn === 'wrap') states[name] = { Run: `printf '{"from": "${name}", "input": '; cat; printf '}'` };
    else if ((k = /^fail-(.*)$/.exec(fn))) states[name] = { Throw: { Error: k[1], Cause: `${name} failed` } };
    else if ((k = /^flaky-([0-9]+)-(.*)$/.exec(fn))) {
      const n = Number(k[1]), r = { [n > 1 ? `0-${n - 1}` : '0']: { Throw: { Error: k[2], Cause: 'flaky' } } };
      // a Parallel's retries can call it again: enough numbered answers for any of them
      for (let c = n; c < n + 64; c++) r[String(c)] = { Return: { StatusCode: 200, Payload: { ok: true, calls: c + 1 } } };
      states[name] = r;
    }
  });
  return { StateMachines: { M: { TestCases: { T: states } } } };
}

// One run of `sfc run --history` in DIR: the result from its last event.
function sfcRun(sfc, dir, c) {
  fs.writeFileSync(path.join(dir, 'M.asl.json'), JSON.stringify(c.definition));
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(c.input));
  fs.writeFileSync(path.join(dir, 'mocks.json'), JSON.stringify(mockFile(c.definition)));
  const r = spawnSync(sfc, ['run', path.join(dir, 'M.asl.json'), '--input', '@' + path.join(dir, 'input.json'),
    '--mocks', path.join(dir, 'mocks.json'), '--case', 'T', '--seed', String(c.seed), '--history'],
  { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 60000 });
  const why = r.error ? `cannot run ${sfc}: ${r.error.message}`
    : `exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''}: ${(r.stderr || '').split('\n').slice(-20).join('\n')}`;
  let events;
  try { events = JSON.parse(r.stdout).events; } catch (e) { return { status: 'sfc run: no history', cause: why }; }
  const entered = [];
  for (const e of events) {
    const name = e.stateEnteredEventDetails && e.stateEnteredEventDetails.name;
    if (name && c.definition.States[name] && entered[entered.length - 1] !== name) entered.push(name);
  }
  const last = events[events.length - 1] || {};
  const d = last.executionFailedEventDetails || last.executionTimedOutEventDetails || last.executionAbortedEventDetails || {};
  if (last.type === 'ExecutionSucceeded') return { status: 'SUCCEEDED', output: JSON.parse(last.executionSucceededEventDetails.output), path: entered };
  const status = { ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED' }[last.type] || last.type;
  return { status, error: d.error === undefined ? null : d.error, cause: d.cause === undefined ? null : d.cause, path: entered };
}

// Equal as JSON values: objects whatever their key order, numbers by value.
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

function agree(ref, got) {
  if (ref.status !== got.status) return false;
  if (!same(ref.path, got.path)) return false;
  if (ref.status === 'SUCCEEDED') return same(ref.output, got.output);
  if (ref.error !== got.error) return false;
  // the engine's own errors: local-sfn words their causes its own way (DEVIATIONS.md)
  if (/^States\./.test(ref.error)) return true;
  return ref.cause === got.cause;
}

async function main() {
  const o = args();
  const cases = [];
  for (let i = 0; i < o.count; i++) cases.push(generate(o.seed + i));
  const text = cases.map((c) => JSON.stringify({ definition: c.definition, input: c.input, seed: c.seed })).join('\n') + '\n';
  const d = spawnSync(o.driver, [], { input: text, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (d.error) { console.error(`diff.js: cannot run ${o.driver}: ${d.error.message}`); process.exit(2); }
  const got = d.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let passed = 0, failed = 0, shown = 0;
  const show = (c, why, ref, res, cli) => {
    failed++;
    if (shown++ >= o.show) return;
    console.log(`FAIL seed ${c.seed}${cli ? ' (sfc run)' : ''}: ${why}`);
    console.log(`  definition: ${JSON.stringify(c.definition)}`);
    console.log(`  input: ${JSON.stringify(c.input)}`);
    if (cli) console.log(`  mocks: ${JSON.stringify(mockFile(c.definition))}`);
    console.log(`  aws-local-stepfunctions: ${JSON.stringify(ref)}`);
    console.log(`  sfc: ${JSON.stringify(res)}`);
    console.log(`  again: node tests/differential/diff.js --driver ${o.driver} --seed ${c.seed} --count 1${cli ? ` --sfc ${o.sfc} --cli 1` : ''}`);
  };
  const dir = o.sfc && o.cli ? fs.mkdtempSync(path.join(os.tmpdir(), 'sfc-differential-')) : null;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const ref = await reference(c, o.validate);
    if (i >= got.length) {
      show(c, i === got.length ? `the driver stopped here (exit ${d.status}, signal ${d.signal})` : 'no result (the driver stopped earlier)', ref, null);
      continue;
    }
    if (ref.status === 'REJECTED' || ref.status === 'HANG') show(c, `aws-local-stepfunctions: ${ref.status} (a generator bug)`, ref, got[i]);
    else if (!agree(ref, got[i])) show(c, 'results differ', ref, got[i]);
    else passed++;
    if (dir && i < o.cli && ref.status !== 'REJECTED' && ref.status !== 'HANG') {
      const res = sfcRun(o.sfc, dir, c);
      if (!agree(ref, res)) show(c, 'results differ', ref, res, true);
      else passed++;
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (got.length < cases.length || d.status !== 0) {
    console.log(`driver exit ${d.status}${d.signal ? `, signal ${d.signal}` : ''}; its stderr:`);
    console.log(d.stderr.split('\n').slice(-60).join('\n'));
  }
  if (shown > o.show) console.log(`(${shown - o.show} more disagreements not shown)`);
  console.log(`differential: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
