// bench.js: sfc's JSONata evaluator against the reference (npm jsonata 2.0.6) on typical
// Step Functions expressions over a generated input of about 1 MB, for `make bench`.
//
//   node tests/jsonata/bench.js --driver build/bench/jsonata_bench [--budget MS] [--items N]
//
// Writes build/bench/jsonata/input.json (N order items, default 6200, about 1 MB, the
// same bytes each time) and exprs.txt, runs the C driver (tests/jsonata/bench.c: each
// expression compiled once and evaluated until the budget, default 500 ms, is spent,
// at least 3 times; the best time counts), then does the same with the reference in
// this process (jsonata(expr) once, evaluate() repeatedly, the input bound as
// $states.input and as the context, as the driver does). Prints, per expression, both
// best times, the ratio reference / sfc (above 1: sfc is faster), and whether the two
// results agree; then the geometric mean of the ratios over the expressions both
// evaluated with the same result. Ratios, never timed assertions: the machine is shared.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const jsonata = require(path.join(ROOT, 'tests', 'node_modules', 'jsonata'));

// The first, a constant, shows the cost of an evaluation that reads nothing: for sfc,
// converting the input (twice: context and $states.input) into the evaluator's values.
const EXPRESSIONS = [
  '0',
  '$states.input.customer.name',
  '$states.input.items[price > 10].name',
  '$sum($states.input.items.price)',
  '$sum($states.input.items.(price * qty))',
  '$map($states.input.items, function($v){ $v.price * 2 })',
  "$states.input.customer.first & ' ' & $states.input.customer.last & ' <' & $states.input.customer.email & '>'",
  '$count($states.input.items)',
  "$states.input.items[$contains(name, 'Widget')].id",
  "{'orderId': $states.input.orderId, 'total': $sum($states.input.items.price), 'count': $count($states.input.items), 'first': $states.input.items[0].name}",
  "$states.input.items[category = 'tools' and qty > 2].{'id': id, 'label': $uppercase(name), 'cost': price * qty}",
  '$states.input.items{category: $sum(price)}',
  '$states.input.items^(>price)[[0..9]].sku',
  '$filter($states.input.items, function($v){ $v.qty > 5 }).sku',
  "$join($states.input.items[[0..99]].sku, ',')",
  '$max($states.input.items.price) - $min($states.input.items.price)',
  'items[price > 100]',
];

function args() {
  const o = { driver: null, budget: 500, items: 6200 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, '');
    if (!(k in o) || i + 1 >= a.length) { console.error('usage: bench.js --driver PATH [--budget MS] [--items N]'); process.exit(2); }
    o[k] = k === 'driver' ? a[++i] : Number(a[++i]);
  }
  if (!o.driver) { console.error('bench.js: --driver PATH is required'); process.exit(2); }
  return o;
}

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function input(n) {
  const r = prng(42);
  const pick = a => a[Math.floor(r() * a.length)];
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push({
      id: i + 1,
      sku: 'SKU-' + String(100000 + Math.floor(r() * 900000)),
      name: pick(['Widget', 'Gadget', 'Doohickey', 'Sprocket', 'Gizmo']) + ' ' + pick(['Pro', 'Mini', 'Max', 'Lite']) + ' ' + i,
      category: pick(['tools', 'toys', 'garden', 'kitchen', 'office']),
      price: Math.round(r() * 20000) / 100,
      qty: 1 + Math.floor(r() * 9),
      tags: [pick(['new', 'sale', 'clearance', 'bestseller']), pick(['red', 'blue', 'green'])],
      warehouse: { id: 'WH-' + Math.floor(r() * 20), zone: pick(['A', 'B', 'C']) },
    });
  }
  return { orderId: 'ORD-2024-0001', customer: { name: 'Ada Lovelace', first: 'Ada', last: 'Lovelace', email: 'ada@example.com', tier: 'gold' },
           items, items_count: n, shipping: { method: 'express', address: { city: 'London', zip: 'NW1' } } };
}

function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}

async function reference(expr, doc, budgetMs) {
  let e;
  try { e = jsonata(expr); } catch (err) { return { out: { code: err.code || 'JS', message: err.message } }; }
  const bindings = { states: { input: doc } };
  let best = Infinity, runs = 0, out;
  const start = process.hrtime.bigint();
  while (runs < 3 || Number(process.hrtime.bigint() - start) < budgetMs * 1e6) {
    const t0 = process.hrtime.bigint();
    try {
      const v = await e.evaluate(doc, bindings);
      const t = v === undefined ? undefined : JSON.stringify(v);
      out = t === undefined ? { undefined: true } : { value: JSON.parse(t) };
    } catch (err) {
      out = { code: err.code || 'JS', message: err.message };
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
      runs++;
      break;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
    runs++;
  }
  return { ns: best, runs, out };
}

function fmt(ns) {
  if (!isFinite(ns)) return '-';
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + ' ms';
  return (ns / 1e3).toFixed(1) + ' us';
}

async function main() {
  const o = args();
  const dir = path.join(ROOT, 'build', 'bench', 'jsonata');
  fs.mkdirSync(dir, { recursive: true });
  const doc = input(o.items);
  const docFile = path.join(dir, 'input.json');
  fs.writeFileSync(docFile, JSON.stringify(doc));
  const exprFile = path.join(dir, 'exprs.txt');
  fs.writeFileSync(exprFile, EXPRESSIONS.join('\n') + '\n');
  const size = fs.statSync(docFile).size;
  console.log(`bench-jsonata: ${EXPRESSIONS.length} expressions over ${docFile} (${(size / 1e6).toFixed(2)} MB, ${o.items} items), ${o.budget} ms each`);
  const r = spawnSync(o.driver, [docFile, exprFile, String(o.budget)], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) { console.error(`${o.driver}: exit ${r.status} ${r.signal || ''}\n${r.stderr}`); process.exit(1); }
  const sfc = r.stdout.split('\n').filter(l => l).map(l => {
    const [i, ns, runs, json] = l.split('\t');
    return { i: Number(i), ns: Number(ns), runs: Number(runs), out: JSON.parse(json) };
  });
  const ratios = [];
  console.log(['sfc', 'reference', 'ref/sfc', 'results', 'expression'].join('\t'));
  for (let i = 0; i < EXPRESSIONS.length; i++) {
    const ref = await reference(EXPRESSIONS[i], doc, o.budget);
    const s = sfc[i] || { ns: NaN, out: { code: 'missing' } };
    const sOk = !s.out.code, rOk = !ref.out.code;
    let agree;
    if (!sOk) agree = `sfc error ${s.out.code}`;
    else if (!rOk) agree = `reference error ${ref.out.code}`;
    else agree = equal(s.out, ref.out) ? 'same' : 'DIFFER';
    const ratio = sOk && rOk ? ref.ns / s.ns : NaN;
    if (agree === 'same') ratios.push(ratio);
    console.log([sOk ? fmt(s.ns) : '-', rOk ? fmt(ref.ns) : '-', isNaN(ratio) ? '-' : ratio.toFixed(2) + 'x', agree, EXPRESSIONS[i]].join('\t'));
  }
  if (ratios.length) {
    const g = Math.exp(ratios.reduce((a, x) => a + Math.log(x), 0) / ratios.length);
    console.log(`bench-jsonata: geometric mean ref/sfc over the ${ratios.length} expressions with the same result: ${g.toFixed(2)}x (above 1: sfc is faster)`);
  } else {
    console.log('bench-jsonata: no expression gave the same result on both sides: no ratio');
  }
}

main().catch(e => { console.error(e); process.exit(1); });
