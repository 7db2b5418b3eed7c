// differential.js: sfc's JSONata evaluator against the pinned reference, npm jsonata 2.0.6
// (tests/package.json), on generated expressions and documents.
//
//   node tests/jsonata/differential.js --batch build/asan/test_jsonata [--seed S] [--count N]
//        [--show N] [--known FILE] [--messages 1] [--dump 1] [--case SEED] [--width N]
//
// Case i is generated from seed S+i alone (a PRNG seeded with it), so any case can be
// replayed with --case SEED. Each case is a random but well-formed expression, typed as
// it is built (numbers where numbers are expected, mostly), over a generated document
// of a known shape (fields sometimes missing or of another type), sometimes with
// bindings, sometimes with an array, a scalar or no input. The expressions cover paths,
// predicates, wildcards, '**', '%', '@' and '#' bindings, array and object constructors,
// grouping, order-by, '~>', lambdas and partial application, conditionals, blocks,
// transforms, regular expressions, the arithmetic, comparison, boolean, string and 'in'
// operators, ranges, and the built-ins with plausible arguments (not $now, $millis,
// $random, $shuffle, $uuid: their values differ by design; not AWS's own functions,
// which the reference does not have; not $eval, which AWS does not offer).
//
// All cases go through `test_jsonata --batch` in one process (JSON lines in and out;
// if it dies, the case it died on is a failure and the rest go on in a new process),
// and each through the reference (a step bound of 100,000 evaluation entries: a case
// past it is counted as skipped, with a reason). Compared: both values as JSON values
// (object key order aside; what JSON.stringify writes, so a function is undefined at
// the top level), or both undefined, or both errors with the same code (and the same
// message with --messages 1). The messages are not compared by default: the parser's
// are worded with their code in front.
//
// A mismatch that matches a line of the known-differences file
// (tests/jsonata/differential-known.txt: WHERE <tab> REGEX <tab> REASON, WHERE saying
// what REGEX is matched against: the expression, or the reference's or sfc's outcome
// as printed, "error CODE (message)" / "value JSON" / "undefined") is counted as skipped under
// that reason, and the reasons are printed with their counts: nothing is skipped
// silently. Every other mismatch is printed (the first --show, default 100, in full:
// expression, input, both outcomes, cut at --width characters, default 600; --case SEED
// replays one case and prints it whole, --dump 1 prints the generated cases as the JSON
// lines test_jsonata --batch reads), then a summary by kind (value vs error, sfc's U0000
// placeholder by message, ...), the pairs of error codes, and the constructs most
// over-represented among the mismatches.
//
// Ends with "jsonata-differential: N passed, N failed[, N skipped]".
'use strict';

const { spawnSync } = require('child_process');
const { Worker, isMainThread, parentPort } = require('worker_threads');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const STEP_LIMIT = 100000;

function args() {
  const o = { batch: null, seed: 1, count: 1000, show: 100, known: path.join(__dirname, 'differential-known.txt'),
              messages: 0, dump: 0, case: null, width: 600 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, '');
    if (!(k in o) || i + 1 >= a.length) {
      console.error('usage: differential.js --batch PATH [--seed S] [--count N] [--show N] [--known FILE] [--messages 1] [--dump 1] [--case SEED] [--width N]');
      process.exit(2);
    }
    o[k] = k === 'batch' || k === 'known' ? a[++i] : Number(a[++i]);
  }
  if (o.case !== null) { o.seed = o.case; o.count = 1; o.dump = 1; }
  return o;
}

// ---------------------------------------------------------------- the generator

// mulberry32: small, fast, and the same on every Node.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['apple', 'Banana', 'cherry', 'date', 'Elder', 'fig', 'grape', 'kiwi', 'lemon', 'mango',
  'a,b,c', 'hello world', '  padded  ', 'x-1', 'ÄÖü', '日本語', '123', '4.5', '', 'true', 'null',
  'a.b', 'Hello, World!', 'tab\there', 'quote"d', 'émoji 😀', 'UPPER lower', '1,234.5', '0x1F'];
const TYPES = ['book', 'food', 'tool'];
const NUMS = [0, 1, 2, 3, 5, 7, 10, 12, 15.75, 99.99, -3, -0.5, 0.1, 0.2, 1000, 1e6, 2.5, 42, 100, 7.125];

class Gen {
  constructor(seed) {
    this.r = prng(seed);
    this.feat = new Set();
    this.vars = [];      // [{name, type}] in scope
    this.nvar = 0;
  }
  f() { return this.r(); }
  int(n) { return Math.floor(this.r() * n); }
  chance(p) { return this.r() < p; }
  pick(a) { return a[this.int(a.length)]; }
  // One of [[weight, fn], ...].
  choose(opts) {
    let total = 0;
    for (const [w] of opts) total += w;
    let x = this.r() * total;
    for (const [w, fn] of opts) { if ((x -= w) < 0) return fn(); }
    return opts[opts.length - 1][1]();
  }
  mark(name) { this.feat.add(name); }

  // ---------------------------------------------------------- documents
  docNum() { return this.chance(0.7) ? this.pick(NUMS) : Math.round(this.f() * 2000 - 1000) / (this.chance(0.5) ? 1 : 100); }
  word() { return this.pick(WORDS); }
  maybe(o, key, v) { if (!this.chance(0.08)) o[key] = this.chance(0.04) ? this.pick([null, 'x', 3, true, [], {}]) : v; }
  item(i) {
    const o = {};
    this.maybe(o, 'id', i + 1);
    this.maybe(o, 'name', this.word());
    this.maybe(o, 'price', this.docNum());
    this.maybe(o, 'qty', this.int(6));
    this.maybe(o, 'type', this.pick(TYPES));
    this.maybe(o, 'tags', Array.from({ length: this.int(4) }, () => this.pick(['red', 'green', 'blue', 'sale', 'new'])));
    this.maybe(o, 'dims', { w: this.int(10), h: this.int(10) });
    this.maybe(o, 'active', this.chance(0.5));
    return o;
  }
  document() {
    const d = {};
    this.maybe(d, 'name', this.word());
    this.maybe(d, 'id', this.int(100));
    this.maybe(d, 'price', this.docNum());
    this.maybe(d, 'active', this.chance(0.5));
    this.maybe(d, 's', this.pick(['a,b,c', 'one two three', 'x-1-y-22', 'Hello World', '']));
    this.maybe(d, 'date', this.pick(['2024-01-15T10:20:30.000Z', '2023-12-31T23:59:59Z', '2024-02-29', '2024-06-01T12:00:00+02:00']));
    this.maybe(d, 'millis', this.pick([0, 1705314030000, 1e12, 86400000]));
    this.maybe(d, 'nums', Array.from({ length: this.int(7) }, () => this.docNum()));
    this.maybe(d, 'tags', Array.from({ length: this.int(5) }, () => this.word()));
    this.maybe(d, 'items', Array.from({ length: this.int(7) }, (_, i) => this.item(i)));
    this.maybe(d, 'nested', { a: { b: { c: this.docNum(), d: [this.docNum(), [this.docNum(), this.docNum()]] } },
                              list: Array.from({ length: this.int(4) }, () => ({ x: this.int(5), y: this.word() })) });
    this.maybe(d, 'obj', { k1: this.docNum(), k2: this.word(), k3: this.chance(0.5) ? null : [1, 2] });
    this.maybe(d, 'n', null);
    this.maybe(d, 'empty', []);
    this.maybe(d, 'Account', { 'Account Name': 'Firefly', Order: [
      { OrderID: 'order103', Product: [{ 'Product Name': 'Bowler Hat', Price: 34.45, Quantity: 2 },
                                      { 'Product Name': 'Trilby hat', Price: 21.67, Quantity: 1 }] },
      { OrderID: 'order104', Product: [{ 'Product Name': 'Cloak', Price: 107.99, Quantity: this.int(3) }] }] });
    return d;
  }
  input() {
    return this.choose([
      [85, () => ({ input: this.document() })],
      [5, () => ({ input: Array.from({ length: this.int(5) }, (_, i) => this.item(i)) })],
      [4, () => ({ input: this.pick([1, 'text', true, null, [1, 2, 3], []]) })],
      [6, () => ({})],
    ]);
  }

  // ---------------------------------------------------------- expressions
  // Each generator takes a depth budget D and returns expression text of (mostly) its type.
  numLit() {
    return this.choose([
      [5, () => String(this.int(20))],
      [2, () => this.pick(['0.1', '0.2', '1.5', '2.50', '1e3', '1E-2', '99.99', '3.14159', '0', '1000000'])],
      [1, () => String(-this.int(10))],
    ]);
  }
  strLit() {
    const w = this.chance(0.8) ? this.word() : this.pick(['a', ',', ' ', '-', 'o', 'e', 'an', 'Hello']);
    if (this.chance(0.3)) return "'" + w.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
    let t = JSON.stringify(w);
    if (this.chance(0.1)) { t = '"\\u00e9\\t' + t.slice(1); this.mark('escape'); }
    return t;
  }
  variable(type) {
    const c = this.vars.filter(v => v.type === type || type === 'any');
    return c.length ? this.pick(c).name : null;
  }
  fresh(type) { const name = '$' + this.pick(['x', 'y', 'v', 'acc', 'i', 't']) + (this.nvar++); return { name, type }; }
  withVar(v, fn) { this.vars.push(v); try { return fn(); } finally { this.vars.pop(); } }

  num(d) { return this.typed('num', d); }
  // Sometimes (5%) a value of any type where TYPE is wanted: the type errors too.
  typed(type, d) {
    if (this.chance(0.05) && type !== 'any') { this.mark('mistyped'); return this.anyv(d - 1); }
    const v = this.chance(0.15) ? this.variable(type) : null;
    if (v) return v;
    if (d <= 0) return this.leaf(type);
    return this[type + 'G'](d - 1);
  }
  leaf(type) {
    switch (type) {
      case 'num': return this.chance(0.5) ? this.numLit() : this.pick(['price', 'id', 'items[0].price', 'nested.a.b.c', 'items[1].qty', 'obj.k1', 'millis', 'Account.Order[0].Product[0].Price']);
      case 'str': return this.chance(0.4) ? this.strLit() : this.pick(['name', 's', 'items[0].name', 'date', 'obj.k2', 'items[-1].type', 'tags[0]', 'nested.list[0].y', '`Account`.`Account Name`']);
      case 'bool': return this.pick(['true', 'false', 'active', 'items[0].active']);
      case 'nums': return this.pick(['nums', 'items.price', 'items.qty', '[1, 2, 3]', '[]', 'nested.a.b.d', '[3, 1, 2]', 'Account.Order.Product.Price']);
      case 'strs': return this.pick(['tags', 'items.name', 'items.type', "['b', 'a', 'c']", 'items.tags']);
      case 'objs': return this.pick(['items', 'nested.list', 'Account.Order', 'Account.Order.Product', 'items[price > 5]']);
      case 'obj': return this.pick(['obj', 'nested', 'items[0]', "{'a': 1}", '$', 'nested.a', 'Account']);
      case 'any': return this.anyLeaf();
    }
    throw new Error('no leaf ' + type);
  }
  anyLeaf() {
    return this.pick([this.leaf('num'), this.leaf('str'), this.leaf('bool'), this.leaf('nums'), this.leaf('strs'),
      this.leaf('objs'), this.leaf('obj'), 'null', 'n', 'missing', 'empty', '$$']);
  }
  anyG(d) { return this.anyv(d); }
  anyv(d) {
    if (d <= 0) return this.anyLeaf();
    return this.choose([
      [3, () => this.num(d)], [3, () => this.typed('str', d)], [2, () => this.typed('bool', d)],
      [2, () => this.typed('nums', d)], [1, () => this.typed('strs', d)], [2, () => this.typed('objs', d)],
      [2, () => this.typed('obj', d)], [4, () => this.pathG(d)], [1, () => this.cond('any', d)],
      [1, () => this.block('any', d)],
    ]);
  }
  paren(t) { return '(' + t + ')'; }
  cond(type, d) {
    this.mark('cond');
    const c = this.typed('bool', d);
    if (this.chance(0.2)) return this.paren(c + ' ? ' + this.typed(type, d));
    return this.paren(c + ' ? ' + this.typed(type, d) + ' : ' + this.typed(type, d));
  }
  block(type, d) {
    this.mark('block');
    const vt = this.pick(['num', 'str', 'nums', 'obj', 'objs']);
    const v = this.fresh(vt);
    const init = this.typed(vt, d);
    const body = this.withVar(v, () => this.typed(type, d));
    return '(' + v.name + ' := ' + init + '; ' + body + ')';
  }
  // A lambda of one parameter of type PT returning RT (sometimes with a second, the index).
  lambda(pt, rt, d, n) {
    this.mark('lambda');
    const ps = [this.fresh(pt)];
    if (n >= 2) ps.push(this.fresh(n === 2 && pt !== 'num' ? 'num' : pt));
    if (n >= 3) ps.push(this.fresh('nums'));
    const body = this.withVar(ps[0], () => ps[1] ? this.withVar(ps[1], () => ps[2] ? this.withVar(ps[2], () => this.typed(rt, d)) : this.typed(rt, d)) : this.typed(rt, d));
    const kw = this.chance(0.1) ? 'λ' : 'function';
    let sig = '';
    if (this.chance(0.08) && n === 1 && pt === 'num' && rt === 'num') { sig = '<n:n>'; this.mark('signature'); }
    return kw + '(' + ps.map(p => p.name).join(', ') + ')' + sig + '{ ' + body + ' }';
  }
  pred(d) { // a predicate over an item of `items`
    this.mark('predicate');
    return this.choose([
      [3, () => this.pick(['price', 'qty', 'id']) + ' ' + this.pick(['>', '<', '>=', '<=', '=', '!=']) + ' ' + this.numLit()],
      [2, () => "type = '" + this.pick(TYPES) + "'"],
      [1, () => '$contains(name, ' + this.pick(["'a'", '/a/i', '/^[A-Z]/', "'e'"]) + ')'],
      [1, () => "'sale' in tags"],
      [1, () => 'active'],
      [1, () => this.pick(['0', '1', '-1', '[0, 2]', '[0..1]', '$count(tags) > 1', 'dims.w > 4', 'price'])],
      [1, () => this.typed('bool', d)],
    ]);
  }

  numG(d) {
    return this.choose([
      [6, () => this.paren(this.num(d) + ' ' + this.pick(['+', '-', '*', '/', '%']) + ' ' + this.num(d))],
      [2, () => this.num(d) + ' ' + this.pick(['+', '-']) + ' ' + this.num(d) + ' ' + this.pick(['*', '/']) + ' ' + this.num(d)],
      [1, () => '-' + this.num(d)],
      [3, () => '$' + this.pick(['abs', 'floor', 'ceil', 'round', 'sqrt']) + '(' + this.num(d) + ')'],
      [1, () => '$round(' + this.num(d) + ', ' + this.pick(['0', '1', '2', '-1', '3']) + ')'],
      [1, () => '$power(' + this.num(d) + ', ' + this.pick(['2', '0.5', '3', '-1', '0']) + ')'],
      [1, () => '$number(' + this.pick(["'12'", "'1.5e2'", "'0x10'", "' 7 '", 'true', "'-3'", this.typed('str', d)]) + ')'],
      [4, () => '$' + this.pick(['sum', 'max', 'min', 'average']) + '(' + this.typed('nums', d) + ')'],
      [3, () => '$count(' + this.anyv(d) + ')'],
      [2, () => '$length(' + this.typed('str', d) + ')'],
      [1, () => "$toMillis(date" + (this.chance(0.3) ? ", '[Y0001]-[M01]-[D01]'" : '') + ')'],
      [1, () => "$parseInteger(" + this.pick(["'12,345'", "'twelve'", "'XIV'", "'1st'"]) + ", " + this.pick(["'#,##0'", "'w'", "'I'", "'1;o'"]) + ')'],
      [2, () => { this.mark('reduce'); return '$reduce(' + this.typed('nums', d) + ', function($a, $b){ $a ' + this.pick(['+', '*', '-']) + ' $b }' + (this.chance(0.3) ? ', ' + this.numLit() : '') + ')'; }],
      [2, () => '$sum(items.(' + this.pick(['price * qty', 'qty', 'price + 1']) + '))'],
      [1, () => this.typed('nums', d) + '[' + this.pick(['0', '-1', '1', '$ > 2']) + ']'],
      [1, () => { this.mark('chain'); return this.typed('nums', d) + ' ~> $sum()'; }],
      [1, () => this.cond('num', d)],
      [1, () => this.block('num', d)],
      [1, () => "$lookup(obj, 'k1')"],
      [1, () => { this.mark('single'); return '$single(items, function($v){ $v.id = ' + (1 + this.int(3)) + ' }).price'; }],
      [1, () => { this.mark('partial'); return '($f := $power(?, 2); $f(' + this.num(d) + '))'; }],
      [1, () => { this.mark('recursion'); return '($fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(' + this.int(8) + '))'; }],
    ]);
  }
  strG(d) {
    return this.choose([
      [4, () => this.typed('str', d) + ' & ' + (this.chance(0.8) ? this.typed('str', d) : this.anyv(d))],
      [3, () => '$string(' + this.anyv(d) + (this.chance(0.15) ? ', true' : '') + ')'],
      [2, () => '$substring(' + this.typed('str', d) + ', ' + this.pick(['0', '1', '-3', '2', '10']) + (this.chance(0.5) ? ', ' + this.pick(['2', '0', '5', '-1']) : '') + ')'],
      [2, () => '$' + this.pick(['substringBefore', 'substringAfter']) + '(' + this.typed('str', d) + ', ' + this.pick(["','", "' '", "'-'", "'a'", "''"]) + ')'],
      [3, () => '$' + this.pick(['uppercase', 'lowercase', 'trim']) + '(' + this.typed('str', d) + ')'],
      [1, () => '$pad(' + this.typed('str', d) + ', ' + this.pick(['5', '-6', '10', '0']) + (this.chance(0.5) ? ", '" + this.pick(['#', '-', 'ab']) + "'" : '') + ')'],
      [2, () => '$join(' + this.typed('strs', d) + (this.chance(0.6) ? ', ' + this.pick(["', '", "'-'", "''"]) : '') + ')'],
      [2, () => { this.mark('regex'); return '$replace(' + this.typed('str', d) + ', ' + this.pick(["'a'", "','", '/[aeiou]/', '/(\\w+) (\\w+)/', '/,/', '/[0-9]+/', '/^\\s+|\\s+$/']) + ', ' + this.pick(["'*'", "''", "'$1'", "'[$0]'", "'$2 $1'", 'function($m){ $uppercase($m.match) }']) + (this.chance(0.2) ? ', ' + this.pick(['1', '2', '0']) : '') + ')'; }],
      [1, () => '$base64encode(' + this.typed('str', d) + ')'],
      [1, () => "$base64decode('" + this.pick(['aGVsbG8=', 'w6k=', 'YWJj', '']) + "')"],
      [1, () => '$' + this.pick(['encodeUrl', 'encodeUrlComponent']) + '(' + this.typed('str', d) + ')'],
      [1, () => '$' + this.pick(['decodeUrl', 'decodeUrlComponent']) + "('" + this.pick(['a%20b', '%E6%97%A5', 'x%2Fy', 'plain']) + "')"],
      [2, () => '$formatNumber(' + this.num(d) + ", '" + this.pick(['#,##0.00', '0.0', '#', '000', '#,###', '0.00e0', '#%', '0.###', '#,##0.0#']) + "')"],
      [1, () => '$formatBase(' + this.pick(['255', '10', '-7', this.num(d)]) + ', ' + this.pick(['2', '16', '8', '36']) + ')'],
      [1, () => '$formatInteger(' + this.pick(['1234', '7', '0', '21', '1999']) + ", '" + this.pick(['w', 'W', 'Ww', 'I', 'i', '#,##0', '0001', '1;o', 'a', 'A']) + "')"],
      [1, () => '$fromMillis(' + this.pick(['0', '1705314030000', '86400000', 'millis']) + (this.chance(0.6) ? ", '" + this.pick(['[Y0001]-[M01]-[D01]', '[H01]:[m01]:[s01]', '[FNn], [D1o] [MNn] [Y]', '[h].[m01][P]', '[Y,2]']) + "'" : '') + (this.chance(0.2) ? ", '" + this.pick(['+0100', '-0500', '+0530']) + "'" : '') + ')'],
      [2, () => '$type(' + this.anyv(d) + ')'],
      [1, () => this.typed('strs', d) + '[' + this.pick(['0', '-1', '1']) + ']'],
      [1, () => { this.mark('chain'); return this.typed('str', d) + ' ~> $' + this.pick(['uppercase', 'trim', 'lowercase', 'length']) + '()'; }],
      [1, () => { this.mark('chain'); return this.typed('str', d) + ' ~> $substring(' + this.pick(['1', '0, 2', '-2']) + ')'; }],
      [1, () => this.cond('str', d)],
      [1, () => this.block('str', d)],
      [1, () => { this.mark('regex'); return '$match(' + this.typed('str', d) + ', ' + this.pick(['/a(.)/', '/[a-z]+/i', '/(\\d+)/', '/o/', '/^$/']) + ')[0].' + this.pick(['match', 'index', 'groups[0]']); }],
      [1, () => { this.mark('partial'); return '($f := $substring(?, 1, 2); $f(' + this.typed('str', d) + '))'; }],
      [1, () => '$string(' + this.num(d) + ')'],
    ]);
  }
  boolG(d) {
    return this.choose([
      [4, () => this.paren(this.num(d) + ' ' + this.pick(['=', '!=', '<', '<=', '>', '>=']) + ' ' + this.num(d))],
      [2, () => this.paren(this.typed('str', d) + ' ' + this.pick(['=', '!=', '<', '>']) + ' ' + this.typed('str', d))],
      [1, () => this.paren(this.anyv(d) + ' ' + this.pick(['=', '!=', '<']) + ' ' + this.anyv(d))],
      [3, () => this.paren(this.typed('bool', d) + ' ' + this.pick(['and', 'or']) + ' ' + this.typed('bool', d))],
      [2, () => '$' + this.pick(['not', 'boolean']) + '(' + this.anyv(d) + ')'],
      [2, () => '$exists(' + this.anyv(d) + ')'],
      [2, () => '$contains(' + this.typed('str', d) + ', ' + this.pick(["'a'", "'an'", "''", '/[0-9]/', '/^h/i']) + ')'],
      [2, () => this.paren(this.num(d) + ' in ' + this.typed('nums', d))],
      [1, () => this.paren(this.typed('str', d) + ' in ' + this.typed('strs', d))],
      [1, () => this.cond('bool', d)],
    ]);
  }
  numsG(d) {
    return this.choose([
      [2, () => '[' + Array.from({ length: this.int(5) }, () => this.num(d)).join(', ') + ']'],
      [1, () => { this.mark('range'); return '[' + this.pick(['1..5', '0..3', '-2..2', '5..1', '1..' + this.int(6)]) + ']'; }],
      [2, () => { this.mark('map'); return '$map(' + this.typed('nums', d) + ', ' + this.lambda('num', 'num', d, this.chance(0.2) ? 2 : 1) + ')'; }],
      [2, () => { this.mark('filter'); return '$filter(' + this.typed('nums', d) + ', ' + this.lambda('num', 'bool', d, 1) + ')'; }],
      [2, () => '$' + this.pick(['reverse', 'distinct', 'sort']) + '(' + this.typed('nums', d) + ')'],
      [1, () => '$sort(' + this.typed('nums', d) + ', function($l, $r){ $l ' + this.pick(['<', '>']) + ' $r })'],
      [2, () => '$append(' + this.typed('nums', d) + ', ' + (this.chance(0.7) ? this.typed('nums', d) : this.num(d)) + ')'],
      [2, () => this.typed('nums', d) + '[' + this.pick(['$ > 2', '$ < 10', '$ != 0', '[0, 1]', '[-1]', '$ % 2 = 1']) + ']'],
      [2, () => { this.mark('path-map'); return this.typed('nums', d) + '.($ ' + this.pick(['*', '+', '-']) + ' ' + this.numLit() + ')'; }],
      [2, () => 'items[' + this.pred(d) + '].' + this.pick(['price', 'qty', 'id', 'dims.w'])],
      [1, () => { this.mark('chain'); return this.typed('nums', d) + ' ~> $map(' + this.lambda('num', 'num', d, 1) + ')'; }],
      [1, () => { this.mark('chain'); return this.typed('nums', d) + ' ~> $sort() ~> $reverse()'; }],
      [1, () => '$zip(' + this.typed('nums', d) + ', ' + this.typed('nums', d) + ')[0]'],
      [1, () => { this.mark('orderby'); return 'items^(' + this.pick(['>', '<', '']) + this.pick(['price', 'qty', 'name']) + ').' + this.pick(['price', 'id']); }],
      [1, () => this.cond('nums', d)],
      [1, () => this.block('nums', d)],
    ]);
  }
  strsG(d) {
    return this.choose([
      [2, () => '[' + Array.from({ length: this.int(4) }, () => this.typed('str', d)).join(', ') + ']'],
      [2, () => '$split(' + this.typed('str', d) + ', ' + this.pick(["','", "' '", "''", "'-'", '/[,-]/', '/\\s+/']) + (this.chance(0.2) ? ', ' + this.pick(['1', '2', '0']) : '') + ')'],
      [2, () => '$keys(' + this.typed('obj', d) + ')'],
      [2, () => { this.mark('map'); return '$map(' + this.typed('strs', d) + ', ' + this.lambda('str', 'str', d, 1) + ')'; }],
      [1, () => { this.mark('each'); return '$each(' + this.typed('obj', d) + ', function($v, $k){ $k & "=" & $string($v) })'; }],
      [2, () => '$' + this.pick(['reverse', 'distinct', 'sort']) + '(' + this.typed('strs', d) + ')'],
      [2, () => { this.mark('orderby'); return 'items^(' + this.pick(['>price', 'name', '<qty, >name', 'type, price']) + ').name'; }],
      [1, () => { this.mark('wildcard'); return this.pick(['*.name', 'items.*', 'obj.*', 'nested.*.b']); }],
      [1, () => { this.mark('descendant'); return this.pick(['**.name', '**.y', '**.type', '**[0].name']); }],
      [1, () => { this.mark('regex'); return '$match(' + this.typed('str', d) + ', ' + this.pick(['/[a-z]+/', '/\\w/', '/(a)(b)?/', '/l+/']) + ').match'; }],
      [1, () => 'items.tags[' + this.pick(['0', '-1', "$ = 'sale'"]) + ']'],
      [1, () => { this.mark('filter'); return '$filter(' + this.typed('strs', d) + ', function($v){ $length($v) > ' + this.int(5) + ' })'; }],
      [1, () => this.cond('strs', d)],
    ]);
  }
  objsG(d) {
    return this.choose([
      [3, () => 'items[' + this.pred(d) + ']'],
      [2, () => { this.mark('orderby'); return this.leaf('objs') + '^(' + this.pick(['>price', 'name', '<qty, >name', 'type, price', '$count(tags)', 'x']) + ')'; }],
      [2, () => { this.mark('filter'); return '$filter(items, ' + this.lambda('obj', 'bool', d, this.chance(0.2) ? 2 : 1) + ')'; }],
      [1, () => '$sort(items, function($l, $r){ $l.' + this.pick(['price', 'qty', 'name']) + ' > $r.' + this.pick(['price', 'qty', 'name']) + ' })'],
      [2, () => { this.mark('objmap'); return 'items.{' + this.objBody(d, true) + '}'; }],
      [1, () => { this.mark('regex'); return '$match(' + this.typed('str', d) + ', ' + this.pick(['/(\\w)(\\w)?/', '/[aeiou]/', '/o/i']) + (this.chance(0.3) ? ', ' + this.pick(['1', '2']) : '') + ')'; }],
      [1, () => '$spread(' + this.typed('obj', d) + ')'],
      [1, () => { this.mark('parent'); return this.pick(['items.dims.%', 'items.tags.%', 'Account.Order.Product.%', 'items.dims.{"w": w, "name": %.name}']); }],
      [1, () => { this.mark('index#'); return 'items#$pos[$pos < ' + this.int(4) + ']'; }],
      [1, () => { this.mark('bind@'); return 'items@$it.tags@$tg.{"id": $it.id, "tag": $tg}'; }],
      [1, () => { this.mark('transform'); return '$ ~> |items|{"flag": ' + this.typed('bool', d) + '}' + (this.chance(0.4) ? ', ["' + this.pick(['dims', 'tags', 'price']) + '"]' : '') + '|'; }],
      [1, () => { this.mark('keep-array'); return 'items[]'; }],
      [1, () => this.cond('objs', d)],
      [1, () => this.block('objs', d)],
      [1, () => { this.mark('map'); return '$map(items, ' + this.lambda('obj', 'obj', d, 1) + ')'; }],
    ]);
  }
  objBody(d, overItem) {
    const n = 1 + this.int(3);
    const parts = [];
    for (let i = 0; i < n; i++) {
      const k = this.chance(0.85) ? JSON.stringify(this.pick(['a', 'name', 'total', 'k', 'x y', 'é'])) : (overItem ? 'type' : this.typed('str', d));
      const v = overItem && this.chance(0.6) ? this.pick(['name', 'price', 'price * qty', '$count(tags)', 'tags', '$uppercase(name)', 'dims']) : this.anyv(d);
      parts.push(k + ': ' + v);
    }
    return parts.join(', ');
  }
  objG(d) {
    return this.choose([
      [4, () => { this.mark('objcons'); return '{' + this.objBody(d, false) + '}'; }],
      [3, () => { this.mark('group'); return 'items{' + this.pick(['type', 'name', '$string(qty)', "'all'"]) + ': ' + this.pick(['$sum(price)', 'name', '$count(id)', '[price]', '{"n": $count(name)}', 'qty']) + '}'; }],
      [1, () => { this.mark('group'); return 'Account.Order.Product{`Product Name`: Price * Quantity}'; }],
      [2, () => '$merge([' + this.typed('obj', d) + ', ' + this.typed('obj', d) + '])'],
      [1, () => '$sift(' + this.typed('obj', d) + ', function($v){ ' + this.pick(['$type($v) = "number"', '$v', '$exists($v)']) + ' })'],
      [2, () => 'items[' + this.pred(d) + '][0]'],
      [1, () => { this.mark('transform'); return this.typed('obj', d) + ' ~> |$|{"added": ' + this.anyv(d) + '}' + (this.chance(0.3) ? ', "' + this.pick(['a', 'name', 'k1']) + '"' : '') + '|'; }],
      [1, () => { this.mark('transform'); return '$ ~> |nested.a|{"b": ' + this.num(d) + '}|'; }],
      [1, () => '$lookup(items, ' + this.pick(["'price'", "'name'", "'nope'"]) + ')'],
      [1, () => { this.mark('error'); return this.pick(["$error('boom')", "$assert(false, 'no')", "$assert(" + this.typed('bool', d) + ", 'why')", '$error()']); }],
      [1, () => this.cond('obj', d)],
      [1, () => this.block('obj', d)],
      [1, () => { this.mark('reduce'); return '$reduce(items, function($acc, $v){ $merge([$acc, {$string($v.id): $v.name}]) }, {})'; }],
    ]);
  }
  // Free-form paths over the document: steps, predicates, stages and the rest.
  pathG(d) {
    this.mark('path');
    const steps = [];
    const n = 1 + this.int(3);
    let start = this.pick(['', '', '', '$.', '$$.', '$$.']);
    for (let i = 0; i < n; i++) {
      let s = this.choose([
        [6, () => this.pick(['items', 'name', 'price', 'nested', 'a', 'b', 'c', 'list', 'tags', 'obj', 'x', 'y', 'k1', 'dims', 'w', 'qty', 'missing', 'Account', 'Order', 'Product'])],
        [1, () => { this.mark('wildcard'); return '*'; }],
        [1, () => { this.mark('descendant'); return '**'; }],
        [1, () => '`Product Name`'],
        [1, () => { this.mark('path-expr'); return '(' + this.anyv(d) + ')'; }],
        [1, () => { this.mark('objmap'); return '{' + this.objBody(d, true) + '}'; }],
        [1, () => { this.mark('arrmap'); return '[' + this.pick(['name', 'price', 'x']) + ', ' + this.pick(['id', 'qty', 'y']) + ']'; }],
        [1, () => i > 0 ? (this.mark('parent'), '%') : 'items'],
        [1, () => '$string()'],
      ]);
      if (this.chance(0.25)) s += '[' + this.pick(['0', '-1', '1', '$ > 1', 'price > 5', "type = 'book'", 'x', '[0, 1]', 'true', '$count(tags) = 2', "$contains($string(), 'a')"]) + ']';
      if (this.chance(0.05)) { this.mark('keep-array'); s += '[]'; }
      if (this.chance(0.05)) { this.mark('orderby'); s += '^(' + this.pick(['>price', 'name', '$']) + ')'; }
      if (this.chance(0.05)) { this.mark('bind@'); s += '@$e' + i; }
      if (this.chance(0.05)) { this.mark('index#'); s += '#$p' + i; }
      steps.push(s);
    }
    let p = start + steps.join('.');
    if (this.chance(0.1)) { this.mark('group'); p += '{' + this.pick(['name', 'type', '$string($)']) + ': ' + this.pick(['$count($)', '$', 'price']) + '}'; }
    return p;
  }

  expression() {
    const d = 1 + this.int(4);
    return this.choose([
      [3, () => this.num(d)], [3, () => this.typed('str', d)], [2, () => this.typed('bool', d)],
      [2, () => this.typed('nums', d)], [1, () => this.typed('strs', d)], [3, () => this.typed('objs', d)],
      [3, () => this.typed('obj', d)], [3, () => this.pathG(d)], [1, () => this.anyv(d)],
    ]);
  }
}

function generate(seed) {
  const g = new Gen(seed);
  const c = g.input();
  if (g.chance(0.1)) {
    c.bindings = { bv: g.docNum(), barr: [1, 2, 3], bobj: { a: 1, b: 'two' } };
    g.vars.push({ name: '$bv', type: 'num' }, { name: '$barr', type: 'nums' }, { name: '$bobj', type: 'obj' });
    g.mark('bindings');
  }
  c.expr = g.expression();
  return { seed, c, feat: [...g.feat].concat(functionsIn(c.expr)) };
}

function functionsIn(expr) {
  const m = expr.match(/\$[a-zA-Z][a-zA-Z0-9]*(?=\()/g) || [];
  return [...new Set(m.filter(f => !/^\$(f|fact|x\d|y\d|v\d|acc\d|i\d|t\d)/.test(f)))];
}

// ---------------------------------------------------------------- the two evaluators

const jsonata = require(path.join(ROOT, 'tests', 'node_modules', 'jsonata'));

class StepLimit extends Error {}

function asJSON(v) {
  if (v === undefined) return { undefined: true };
  const t = JSON.stringify(v);
  return t === undefined ? { undefined: true } : { value: JSON.parse(t) };
}

async function reference(c) {
  let e;
  try {
    e = jsonata(c.expr);
  } catch (err) {
    return err.code ? { code: err.code, message: err.message } : { code: 'JS:' + (err.name || 'Error'), message: String(err.message) };
  }
  let steps = 0;
  e.assign(Symbol.for('jsonata.__evaluate_entry'), () => { if (++steps > STEP_LIMIT) throw new StepLimit(); });
  try {
    return asJSON(await e.evaluate(c.input, c.bindings));
  } catch (err) {
    if (err instanceof StepLimit) return { limit: true };
    if (err && err.code) return { code: err.code, message: err.message };
    return { code: 'JS:' + ((err && err.name) || 'Error'), message: String(err && err.message) };
  }
}

// The reference runs in a worker thread, so that a case it never finishes (a loop of its
// own, such as $formatNumber(0, '0.00e0') in 2.0.6) can be stopped: after TIMEOUT_MS
// without an answer the worker is terminated, the case counted as skipped, and a new
// worker takes the next case.
const TIMEOUT_MS = 3000;
class Reference {
  constructor() { this.start(); }
  start() {
    this.w = new Worker(__filename);
    this.w.unref();
  }
  ask(c) {
    return new Promise(resolve => {
      const done = r => { clearTimeout(timer); this.w.removeAllListeners('message'); this.w.removeAllListeners('error'); resolve(r); };
      const timer = setTimeout(() => { this.w.terminate(); this.start(); done({ timeout: true }); }, TIMEOUT_MS);
      this.w.once('message', done);
      this.w.once('error', e => { this.start(); done({ code: 'JS:worker', message: String(e) }); });
      this.w.postMessage(c);
    });
  }
  stop() { this.w.terminate(); }
}

// The cases through `test_jsonata --batch`; a process that dies is restarted after the
// case it died on, which gets {crash: stderr}.
function sfcAll(batch, cases) {
  const out = [];
  let from = 0;
  while (from < cases.length) {
    const text = cases.slice(from).map(k => JSON.stringify(k.c)).join('\n') + '\n';
    const r = spawnSync(batch, ['--batch'], { input: text, maxBuffer: 1 << 30, timeout: 600000, encoding: 'utf8' });
    const lines = r.stdout ? r.stdout.split('\n').filter(l => l.length) : [];
    for (const l of lines) out.push(JSON.parse(l));
    from += lines.length;
    if (from < cases.length && (r.status !== 0 || lines.length < cases.length - (from - lines.length))) {
      const why = r.error ? String(r.error) : `exit ${r.status}${r.signal ? ' signal ' + r.signal : ''}`;
      out.push({ crash: why + '\n' + (r.stderr || '').split('\n').slice(0, 40).join('\n') });
      from++;
    } else if (from < cases.length) {
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- comparison

function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}

function kind(o) {
  if (o.crash) return 'crash';
  if (o.limit) return 'limit';
  if (typeof o.code === 'string') return 'error';
  if (o.undefined) return 'undefined';
  return 'value';
}

function same(ref, got, messages) {
  const kr = kind(ref), kg = kind(got);
  if (kr !== kg) return false;
  if (kr === 'value') return equal(ref.value, got.value);
  // sfc raises a JavaScript error of the reference (no JSONata code) with an empty code
  const code = c => (c.startsWith('JS:') ? '' : c);
  if (kr === 'error') return code(ref.code) === got.code && (!messages || ref.message === got.message);
  return kr === 'undefined';
}

function show(o) {
  switch (kind(o)) {
    case 'crash': return 'CRASH ' + o.crash;
    case 'error': return `error ${o.code} (${o.message})`;
    case 'undefined': return 'undefined';
    default: return 'value ' + JSON.stringify(o.value);
  }
}

// Long inputs and values are cut in the report (--width N, 0: never); --case SEED prints
// the whole case again.
function cut(t, width) {
  return width && t.length > width ? t.slice(0, width) + ` ... (${t.length} characters)` : t;
}

function loadKnown(file) {
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(l => l.trim() && !l.startsWith('#')).map(l => {
    const f = l.split('\t');
    if (f.length !== 3 || !['expr', 'reference', 'sfc', 'all'].includes(f[0])) throw new Error(`${file}: not WHERE<tab>REGEX<tab>REASON: ${l}`);
    return { where: f[0], re: new RegExp(f[1]), reason: f[2].trim(), n: 0 };
  });
}

async function main() {
  const o = args();
  const known = loadKnown(o.known);
  const refs = o.batch ? new Reference() : null;
  let shownU = 0, timedOut = 0, real = 0, passed = 0, failed = 0, skipped = 0, limited = 0, shown = 0;
  const kinds = new Map(), codes = new Map(), featAll = new Map(), featBad = new Map();
  const count = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  // In chunks, so a long run (make jsonata-differential N=100000) keeps little in memory.
  const CHUNK = 5000;
  for (let first = 0; first < o.count; first += CHUNK) {
  const cases = [];
  for (let i = first; i < Math.min(o.count, first + CHUNK); i++) cases.push(generate(o.seed + i));
  if (o.dump) for (const k of cases) console.log(JSON.stringify(k.c));
  if (!o.batch) continue;
  const got = sfcAll(o.batch, cases);
  for (let i = 0; i < cases.length; i++) {
    const k = cases[i];
    const ref = await refs.ask(k.c);
    const g = got[i] || { crash: 'no answer from the batch process' };
    for (const f of k.feat) count(featAll, f);
    if (ref.limit && !g.crash) { skipped++; limited++; continue; }
    if (ref.timeout && !g.crash) {
      skipped++; timedOut++;
      console.log(`reference: skipped: seed ${k.seed}: it did not finish in ${TIMEOUT_MS} ms: ${k.c.expr}`);
      continue;
    }
    if (same(ref, g, o.messages)) { passed++; continue; }
    const text = { expr: k.c.expr, reference: show(ref), sfc: show(g) };
    text.all = `${text.expr}\n${text.reference}\n${text.sfc}`;
    const kn = !g.crash && known.find(x => x.re.test(text[x.where]));
    if (kn) { kn.n++; skipped++; continue; }
    failed++;
    let kk = kind(ref) === 'error' && kind(g) === 'error' ? 'error codes differ' : kind(ref) === kind(g) ? `${kind(ref)}s differ` : `reference ${kind(ref)}, sfc ${kind(g)}`;
    if (g.code === 'U0000') kk = `sfc: ${g.message}`; // sfc's placeholder for what is not written yet
    count(kinds, kk);
    if (kind(ref) === 'error' && kind(g) === 'error' && g.code !== 'U0000') count(codes, `${ref.code} in the reference, ${g.code} in sfc`);
    else if (kind(ref) === 'error' && g.code !== 'U0000') count(codes, `${ref.code} in the reference, ${kind(g)} in sfc`);
    else if (kind(g) === 'error' && g.code !== 'U0000') count(codes, `${kind(ref)} in the reference, ${g.code} in sfc`);
    if (g.code !== 'U0000') { real++; for (const f of k.feat) count(featBad, f); }
    // sfc's U0000 (not written yet) would crowd out the rest: only the first few in full.
    if (g.code === 'U0000' ? shownU++ < Math.min(o.show, 5) : shown++ < o.show) {
      console.log(`FAIL seed ${k.seed}: ${k.c.expr}`);
      console.log(`  input: ${cut('input' in k.c ? JSON.stringify(k.c.input) : '(undefined)', o.width)}${k.c.bindings ? '  bindings: ' + JSON.stringify(k.c.bindings) : ''}`);
      console.log(`  reference: ${cut(show(ref), o.width)}`);
      console.log(`  sfc:       ${cut(show(g), o.width)}`);
    }
  }
  }
  if (!o.batch) return;
  if (shown > o.show) console.log(`(${shown - o.show} more mismatches not shown; --show N shows more)`);
  if (shownU > Math.min(o.show, 5)) console.log(`(${shownU - Math.min(o.show, 5)} more where sfc says U0000, not implemented yet, not shown)`);
  if (failed) {
    console.log('mismatches by kind:');
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
    // Constructs by how much more often they appear among mismatches than among all cases.
    if (codes.size) {
      console.log('error codes among them (sfc\'s U0000 aside):');
      for (const [k, n] of [...codes].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${n}\t${k}`);
    }
    const total = o.count;
    const rows = [...featBad].map(([f, n]) => [f, n, featAll.get(f), (n / real) / (featAll.get(f) / total)])
      .filter(r => r[1] >= 3 && r[3] > 1).sort((a, b) => b[3] - a[3] || b[1] - a[1]).slice(0, 25);
    if (rows.length) console.log(`constructs most over-represented among the ${real} mismatches that are not U0000 (in them / in all cases, lift):`);
    for (const [f, n, all, lift] of rows) console.log(`  ${f}\t${n}/${all}\t${lift.toFixed(2)}`);
  }
  if (limited) console.log(`reference: skipped: ${limited} cases past the reference's step bound (${STEP_LIMIT} evaluations)`);
  for (const kn of known) if (kn.n) console.log(`known: skipped: ${kn.n}: ${kn.reason} (${kn.where} /${kn.re.source}/)`);
  refs.stop();
  console.log(`jsonata-differential: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
}

if (isMainThread) main().catch(e => { console.error(e); process.exit(2); });
else parentPort.on('message', async c => parentPort.postMessage(await reference(c)));
