// The built-in functions sfc's compiler knows (runtime/jsonata_fn.c, printed by
// `test_jsonata --builtins`) against the ones the pinned reference, npm jsonata@2.0.6
// (tests/package.json), binds: every name with the same signature, nothing missing,
// nothing extra but $eval (which AWS leaves out) and AWS's six functions.
// Usage: node tests/jsonata/builtins.js OURS.txt; prints "builtins: N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const src = fs.readFileSync(path.join(__dirname, '../node_modules/jsonata/jsonata.js'), 'utf8');
const version = require('../node_modules/jsonata/package.json').version;
const ref = new Map();
for (const m of src.matchAll(/\.bind\('(\w+)', defineFunction\([^']*'([^']*)'\)/g)) ref.set(m[1], m[2]);
// $now and $millis are bound per evaluation, with the signature on a later line.
for (const m of src.matchAll(/environment\.bind\('(\w+)', defineFunction\(function[\s\S]*?\}, '([^']*)'\)\);/g))
  ref.set(m[1], m[2]);
const aws = new Set(['partition', 'range', 'hash', 'random', 'uuid', 'parse']);
let passed = 0, failed = 0;
const fail = (msg) => { failed++; console.log('FAIL ' + msg); };
if (version !== '2.0.6') fail(`tests/node_modules/jsonata is ${version}, not the pinned 2.0.6`);
const ours = new Map(fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' ')));
for (const [name, sig] of ref) {
  if (name === 'eval') { ours.has('eval') ? fail('$eval is listed; AWS has no $eval') : passed++; continue; }
  if (aws.has(name)) continue; // AWS replaces $random with its own
  if (!ours.has(name)) fail(`$${name} (${sig}) is missing`);
  else if (ours.get(name) !== sig) fail(`$${name}: ours ${ours.get(name)}, the reference's ${sig}`);
  else passed++;
}
for (const name of ours.keys())
  if (!ref.has(name) && !aws.has(name)) fail(`$${name} is not a JSONata 2.0.6 function`);
for (const name of aws) ours.has(name) ? passed++ : fail(`AWS's $${name} is missing`);
if (ref.size < 60) fail(`only ${ref.size} functions found in the reference: the extraction is broken`);
console.log(`builtins: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
