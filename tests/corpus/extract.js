#!/usr/bin/env node
// Writes the corpus cases for tests/corpus/run.sh: each definition to OUT/<n>.json,
// and OUT/cases.tsv with one line per case: "id<TAB>pass|fail<TAB>file<TAB>args".
//   node tests/corpus/extract.js CORPUS_DIR OUT_DIR
// "pass" means AWS (or the corpus's judgement) accepts the definition, "fail" that it
// rejects it. args are extra `sfc check` arguments (the state machine type).
'use strict';
const fs = require('fs');
const path = require('path');
const [corpus, out] = process.argv.slice(2);
const read = (p) => JSON.parse(fs.readFileSync(path.join(corpus, p), 'utf8'));
const lines = [];
let n = 0;

function add(id, verdict, text, args) {
  const file = path.join(out, `${n++}.json`);
  fs.writeFileSync(file, text);
  lines.push([id, verdict, file, args || ''].join('\t'));
}

// The recorded tests stand fixture values in as "magic:..." strings; a Task Resource
// is the only place they occur, so give them an ARN of the kind the fixture made.
function unmagic(v) {
  if (typeof v === 'string' && v.startsWith('magic:'))
    return v.includes('activity') ? 'arn:aws:states:us-east-1:111122223333:activity:A'
                                  : 'arn:aws:lambda:us-east-1:111122223333:function:F';
  if (Array.isArray(v)) return v.map(unmagic);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k] = unmagic(v[k]);
    return o;
  }
  return v;
}
const text = (d) => (typeof d === 'string' ? d : JSON.stringify(unmagic(d), null, 2));

// TestState takes one state: put it in a machine, with a Succeed state for every
// transition it names (TestState does not follow them).
function machine(def) {
  if (typeof def === 'string' || def.States) return def;
  const states = { Tested: def };
  const targets = [def.Next, def.Default];
  for (const c of def.Catch || []) targets.push(c.Next);
  for (const c of def.Choices || []) targets.push(c.Next);
  for (const t of targets) if (typeof t === 'string' && !states[t]) states[t] = { Type: 'Succeed' };
  return { StartAt: 'Tested', States: states };
}

const rw = 'realworld-asl';
if (fs.existsSync(path.join(corpus, rw))) {
  const expected = read(`${rw}/expected.json`);
  for (const f of Object.keys(expected).sort()) {
    add(`realworld/${f}`, expected[f].valid ? 'pass' : 'fail',
        fs.readFileSync(path.join(corpus, rw, 'files', f), 'utf8'));
  }
}
const aws = 'aws-recorded-sfn';
if (fs.existsSync(path.join(corpus, aws))) {
  // The state machine type of the create call: the express tests create EXPRESS ones.
  const type = (express) => (express ? '--type express' : '');
  for (const c of read(`${aws}/invalid-definitions.json`))
    add(`aws/${c.id}`, 'fail', text(c.definition), type(/_express\.py$/.test(c.source.test)));
  for (const file of ['executions.json', 'executions-mocked-services.json'])
    for (const c of read(`${aws}/${file}`)) add(`aws/${c.id}`, 'pass', text(c.definition));
  for (const c of read(`${aws}/test-state.json`)) add(`aws/${c.id}`, 'pass', text(machine(c.request.definition)));
  for (const c of read(`${aws}/validate.json`))
    add(`aws/${c.id}`, c.recorded.result === 'OK' ? 'pass' : 'fail', text(c.request.definition),
        type(c.request.type === 'EXPRESS'));
}
fs.writeFileSync(path.join(out, 'cases.tsv'), lines.join('\n') + '\n');
