// Prints what the pinned reference, npm jsonata 2.0.6 (the version AWS Step Functions
// implements), gives for cases of the JSONata test suite, one line per case:
//   group/file#index <TAB> value <json> | undefined | error <code>
// Usage: node tests/jsonata/reference-outcomes.js SUITE_DIR [group/file#index ...]
// (no ids: every case). tests/jsonata/suite-2.0.6.txt is made from its output for the
// cases where 2.0.6 and the suite (2.2.2) disagree.
'use strict';
const fs = require('fs');
const path = require('path');
const jsonata = require(path.join(__dirname, '..', 'node_modules', 'jsonata'));

async function outcome(dir, group, c) {
  let expr = c.expr;
  if (expr === undefined) expr = fs.readFileSync(path.join(dir, 'groups', group, c['expr-file']), 'utf8');
  let data = c.data;
  if (data === undefined && typeof c.dataset === 'string')
    data = JSON.parse(fs.readFileSync(path.join(dir, 'datasets', c.dataset + '.json'), 'utf8'));
  try {
    const r = await Promise.race([
      jsonata(expr).evaluate(data, c.bindings || {}),
      new Promise((_, reject) => setTimeout(() => reject({ code: 'TIMEOUT' }), 5000)),
    ]);
    return r === undefined ? 'undefined' : 'value ' + JSON.stringify(r);
  } catch (e) {
    return 'error ' + (e.code || e.name || 'unknown');
  }
}

async function main() {
  const dir = process.argv[2];
  let ids = process.argv.slice(3);
  if (ids.length === 0) {
    for (const g of fs.readdirSync(path.join(dir, 'groups')).sort())
      for (const f of fs.readdirSync(path.join(dir, 'groups', g)).sort()) {
        if (!f.endsWith('.json')) continue;
        let doc;
        try { doc = JSON.parse(fs.readFileSync(path.join(dir, 'groups', g, f), 'utf8')); } catch (e) { continue; }
        const n = Array.isArray(doc) ? doc.length : 1;
        for (let i = 0; i < n; i++) ids.push(`${g}/${f}#${i}`);
      }
  }
  for (const id of ids) {
    const m = /^(.*)\/(.*)#(\d+)$/.exec(id);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'groups', m[1], m[2]), 'utf8'));
    const c = Array.isArray(doc) ? doc[Number(m[3])] : doc;
    console.log(id + '\t' + (await outcome(dir, m[1], c)));
  }
  process.exit(0);
}
main();
