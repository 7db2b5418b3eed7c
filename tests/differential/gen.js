// gen.js: random ASL definitions and inputs, seeded and deterministic, within what
// aws-local-stepfunctions 3.0.0 runs as AWS does (DEVIATIONS.md lists what it does
// differently, and this generator stays clear of exactly those).
//
// The generator tracks the shape of the document each state receives (which fields
// exist, of which JSON type), so every path it writes selects something, every
// Choice comparison compares values of its own type, and every intrinsic gets
// arguments of the types it takes. Runs that fail do so on purpose: a Fail state, a
// task that throws, a Choice with no Default, a retry budget spent.
//
// Task states call arn:aws:lambda:...:function:KIND; tasks.js answers them the same
// way on both sides (see there).
'use strict';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const ERRORS = ['Custom.Error', 'Err.Busy', 'MyError', 'Timeout.Fake', 'Lambda.Unknown'];
// No quote, backslash or non-ASCII character in values: local-sfn re-reads a nested
// intrinsic's result as text, and encodes Base64 with btoa (DEVIATIONS.md). The causes
// of Fail states (compared as they are) have them.
// No empty string, nor one that starts or ends with a delimiter StringSplit is given, or
// has two in a row: AWS drops empty parts, local-sfn keeps them (DEVIATIONS.md).
const WORDS = ['alpha', 'beta', 'gamma', 'a b', 'x/y', 'A-1', 'zz', 'k,v', 'a-b-c', 'b/c d'];
const TIMESTAMPS = ['2024-01-15T10:20:30Z', '2024-01-15T10:20:30.5Z', '2023-12-31T23:59:59Z',
  '2024-01-15T12:20:30+02:00', '2025-06-01T00:00:00Z', '2024-01-15T10:20:29.999Z'];
const HASHES = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

function mulberry32(a) {
  return function () {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- shapes
// {t: 'int'|'num'|'str'|'ts'|'bool'|'null'|'any'} | {t: 'arr', of, len} | {t: 'obj', f}
// 'ts' is a string that is an RFC 3339 timestamp; len is undefined when unknown. Flags,
// each for one of local-sfn's deviations (DEVIATIONS.md): q, a string with a quote may
// be in there; long, a string too long for its hashes; gen, a string an intrinsic made.

function shapeOf(v) {
  if (v === null) return { t: 'null' };
  if (Array.isArray(v)) {
    let of = v.length ? shapeOf(v[0]) : { t: 'any' };
    for (const x of v) of = meet(of, shapeOf(x));
    return { t: 'arr', of, len: v.length };
  }
  switch (typeof v) {
    case 'number': return { t: Number.isInteger(v) ? 'int' : 'num' };
    case 'boolean': return { t: 'bool' };
    case 'string': return TIMESTAMPS.includes(v) ? { t: 'ts' } : v.includes('"') ? { t: 'str', q: true } : { t: 'str' };
    default: {
      const f = {};
      for (const k of Object.keys(v)) f[k] = shapeOf(v[k]);
      return { t: 'obj', f };
    }
  }
}

// What two shapes have in common: where two paths of a workflow join, only that is known
// (and q, whether a string with a quote may be in there, from either: fields the meet
// drops are still in the document).
function meet(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  const q = hasQuote(a) || hasQuote(b) || undefined;
  if (a.t === 'obj' && b.t === 'obj') {
    const f = {};
    for (const k of Object.keys(a.f)) if (k in b.f) f[k] = meet(a.f[k], b.f[k]);
    return { t: 'obj', f, q };
  }
  if (a.t === 'arr' && b.t === 'arr')
    return { t: 'arr', of: meet(a.of, b.of), len: a.len === b.len ? a.len : undefined, q };
  const gen = a.gen || b.gen || undefined;
  if (a.t === b.t) return { ...a, q, gen, long: a.long || b.long || undefined };
  if ((a.t === 'ts' && b.t === 'str') || (a.t === 'str' && b.t === 'ts')) return { t: 'str', q, gen, long: a.long || b.long || undefined };
  if ((a.t === 'int' && b.t === 'num') || (a.t === 'num' && b.t === 'int')) return { t: 'num' };
  return { t: 'any', q };
}

// A string with a quote in it, somewhere in SHAPE (q: the output of JsonToString, say).
const hasQuote = (s) => !!s.q || (s.t === 'arr' && hasQuote(s.of)) || (s.t === 'obj' && Object.values(s.f).some(hasQuote));
// A string short enough for local-sfn's hashes, which are wrong past one block (56
// bytes; DEVIATIONS.md): not JsonToString's, a hash's or Base64's output.
const isShort = (s) => s.t === 'ts' || (s.t === 'str' && !s.q && !s.long);
const isString = (s) => s.t === 'str' || s.t === 'ts';
const isNumber = (s) => s.t === 'int' || s.t === 'num';
const isScalar = (s) => s.t !== 'obj' && s.t !== 'arr' && s.t !== 'any';

// Every definite path into SHAPE, with the shape it selects: "$" too, unless the
// document may be a scalar (local-sfn finds nothing at "$" in 0, false, "" or null:
// DEVIATIONS.md).
function paths(shape, prefix = '$', out = []) {
  if (prefix !== '$' || shape.t === 'obj' || shape.t === 'arr') out.push({ path: prefix, shape });
  if (shape.t === 'obj') for (const k of Object.keys(shape.f)) paths(shape.f[k], `${prefix}.${k}`, out);
  if (shape.t === 'arr' && shape.len > 0) paths(shape.of, `${prefix}[${shape.len - 1}]`, out);
  return out;
}

function setField(shape, keys, value) {
  if (!keys.length) return value;
  const f = { ...(shape && shape.t === 'obj' ? shape.f : {}) };
  f[keys[0]] = setField(f[keys[0]], keys.slice(1), value);
  return { t: 'obj', f, q: (shape && shape.q) || undefined };
}

// ---------------------------------------------------------------- the generator

class Gen {
  constructor(seed) {
    this.r = mulberry32(seed);
    this.n = 0;
    this.fields = 0;
  }
  int(lo, hi) { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  pick(a) { return a[Math.floor(this.r() * a.length)]; }
  chance(p) { return this.r() < p; }
  name(kind) { return `${kind}${++this.n}`; }
  field() { return `f${++this.fields}`; }

  scalar(t) {
    switch (t || this.pick(['int', 'int', 'num', 'str', 'str', 'ts', 'bool', 'null'])) {
      case 'int': return this.int(-50, 1000);
      case 'num': return this.int(-400, 400) + this.pick([0.25, 0.5, 0.75]);
      case 'str': return this.pick(WORDS);
      case 'ts': return this.pick(TIMESTAMPS);
      case 'bool': return this.chance(0.5);
      default: return null;
    }
  }
  value(depth) {
    const k = depth > 1 ? 0 : this.int(0, 9);
    if (k === 8) { // an array of one type, sometimes of objects
      const t = this.pick(['int', 'str', 'obj']);
      const n = this.int(0, 4);
      const proto = t === 'obj' ? this.object(depth + 1, 3) : null;
      const a = [];
      for (let i = 0; i < n; i++) a.push(t === 'obj' ? this.like(proto) : this.scalar(t));
      return a;
    }
    if (k === 9) return this.object(depth + 1, 3);
    return this.scalar();
  }
  // A value with the same keys and types as PROTO.
  like(proto) {
    const o = {};
    for (const k of Object.keys(proto)) {
      const v = proto[k];
      o[k] = v === null || typeof v !== 'object' ? this.scalar(shapeOf(v).t) : this.value(2);
    }
    return o;
  }
  object(depth, max) {
    const o = {};
    const n = this.int(1, max);
    for (let i = 0; i < n; i++) o[this.field()] = this.value(depth);
    return o;
  }
  input() {
    const o = { n: this.int(0, 100), s: this.pick(WORDS), t: this.pick(TIMESTAMPS), items: [] };
    const proto = this.object(1, 3);
    for (let i = this.int(0, 4); i > 0; i--) o.items.push(this.like(proto));
    o.nums = [];
    for (let i = this.int(1, 5); i > 0; i--) o.nums.push(this.int(-5, 20));
    Object.assign(o, this.object(0, 4));
    return o;
  }

  pathOf(shape, pred) {
    const all = paths(shape).filter((p) => pred(p.shape));
    return all.length ? this.pick(all) : null;
  }

  // ------------------------------------------------------------ intrinsics
  // An intrinsic call (or, with PATHOK, a path) whose value has a shape WANT accepts;
  // returns {expr, shape} or null.
  // Inside a nested call (DEPTH > 0) nothing with a quote in it: local-sfn re-reads a
  // nested call's result as text, and a quote in it breaks that (DEVIATIONS.md).
  arg(shape, want, depth, pathOk = true) {
    const ok = (s) => want(s) && (depth === 0 || !hasQuote(s));
    if (pathOk && this.chance(0.6)) {
      const p = this.pathOf(shape, ok);
      if (p) return { expr: p.path, shape: p.shape };
    }
    if (depth < 2 && this.chance(0.4)) {
      const c = this.intrinsic(shape, depth + 1, (s) => want(s) && !hasQuote(s));
      if (c) return c;
    }
    for (const t of ['int', 'str', 'bool', 'null']) {
      if (!want({ t })) continue;
      if (t === 'int') { const v = this.int(-20, 60); return { expr: String(v), shape: { t } }; }
      if (t === 'str') { const w = this.pick(['abc', 'x y', 'k1', 'Q', 'a/b']); return { expr: `'${w}'`, shape: { t } }; }
      if (t === 'bool') return { expr: String(this.chance(0.5)), shape: { t } };
      return { expr: 'null', shape: { t } };
    }
    return null;
  }
  intrinsic(shape, depth, want = () => true) {
    const fns = ['Format', 'JsonToString', 'StringToJson', 'Array', 'ArrayPartition', 'ArrayContains',
      'ArrayRange', 'ArrayGetItem', 'ArrayLength', 'ArrayUnique', 'Base64Encode', 'Base64Decode',
      'JsonMerge', 'MathAdd', 'StringSplit'];
    // a hash (hex digits) as another intrinsic's argument: local-sfn misreads it (DEVIATIONS.md)
    if (depth === 0) fns.push('Hash');
    for (let tries = 0; tries < 8; tries++) {
      const c = this.call(this.pick(fns), shape, depth);
      if (c && want(c.shape)) return c;
    }
    return null;
  }
  call(fn, shape, depth) {
    const A = (w, pathOk) => this.arg(shape, w, depth, pathOk);
    // Format takes strings, numbers, booleans and null: not objects (DEVIATIONS.md)
    const printable = (s) => s.t === 'int' || s.t === 'str' || s.t === 'bool' || s.t === 'null';
    const arr = (s) => s.t === 'arr';
    switch (fn) {
      case 'Format': {
        const args = [], shapes = [];
        for (let i = this.int(0, 3); i > 0; i--) { const a = A(printable); if (a) { args.push(a.expr); shapes.push(a.shape); } }
        const words = ['v', 'x=', 'and', 'ok', '-'];
        let t = '';
        for (let i = 0; i < args.length; i++) t += `${this.pick(words)} {} `;
        t += this.pick(words);
        // long unless it surely is not: the template and each argument at its longest
        // (a timestamp's 25 characters; seed 413197 hashed 66 bytes)
        const most = (x) => ({ int: 6, bool: 5, null: 4, ts: 25 })[x.t] || (isShort(x) && !x.gen ? 25 : Infinity);
        const long = t.length - 2 * args.length + shapes.reduce((n, x) => n + most(x), 0) >= 56 || undefined;
        return { expr: `States.Format(${[`'${t}'`, ...args].join(', ')})`, shape: { t: 'str', long, q: shapes.some(hasQuote) || undefined, gen: true } };
      }
      case 'JsonToString': {
        // of nothing with a quote in it: local-sfn leaves such quotes unescaped (DEVIATIONS.md)
        const a = A((s) => !hasQuote(s), true);
        return a && a.expr.startsWith('$') ? { expr: `States.JsonToString(${a.expr})`, shape: { t: 'str', q: true, gen: true } } : null;
      }
      case 'StringToJson': {
        const p = this.pathOf(shape, (s) => !hasQuote(s));
        return p ? { expr: `States.StringToJson(States.JsonToString(${p.path}))`, shape: p.shape } : null;
      }
      case 'Array': {
        const args = [];
        let of = null;
        for (let i = this.int(0, 3); i > 0; i--) {
          const a = A(() => true);
          if (a) { args.push(a.expr); of = meet(of, a.shape); }
        }
        return { expr: `States.Array(${args.join(', ')})`, shape: { t: 'arr', of: of || { t: 'any' }, len: args.length } };
      }
      case 'ArrayPartition': {
        const a = A(arr, true);
        if (!a) return null;
        const n = this.int(1, 4);
        const len = a.shape.len === undefined ? undefined : Math.ceil(a.shape.len / n);
        return { expr: `States.ArrayPartition(${a.expr}, ${n})`, shape: { t: 'arr', of: { t: 'arr', of: a.shape.of }, len } };
      }
      case 'ArrayContains': {
        const a = A(arr, true);
        const v = A(isScalar);
        return a && v ? { expr: `States.ArrayContains(${a.expr}, ${v.expr})`, shape: { t: 'bool' } } : null;
      }
      case 'ArrayRange': {
        const lo = this.int(-10, 30), n = this.int(0, 12), step = this.pick([1, 2, 3, -1, -2]);
        const hi = lo + step * n;
        return { expr: `States.ArrayRange(${lo}, ${hi}, ${step})`, shape: { t: 'arr', of: { t: 'int' }, len: n + 1 } };
      }
      case 'ArrayGetItem': {
        const a = A((s) => arr(s) && s.len > 0, true);
        return a ? { expr: `States.ArrayGetItem(${a.expr}, ${this.int(0, a.shape.len - 1)})`, shape: a.shape.of } : null;
      }
      case 'ArrayLength': {
        const a = A(arr, true);
        return a ? { expr: `States.ArrayLength(${a.expr})`, shape: { t: 'int' } } : null;
      }
      case 'ArrayUnique': {
        const a = A(arr, true);
        return a ? { expr: `States.ArrayUnique(${a.expr})`, shape: { t: 'arr', of: a.shape.of } } : null;
      }
      case 'Base64Encode': {
        const a = A(isString);
        return a ? { expr: `States.Base64Encode(${a.expr})`, shape: { t: 'str', long: true, gen: true } } : null;
      }
      case 'Base64Decode': {
        const a = A(isString);
        return a ? { expr: `States.Base64Decode(States.Base64Encode(${a.expr}))`, shape: a.shape } : null;
      }
      case 'Hash': {
        const a = A(isShort);
        return a ? { expr: `States.Hash(${a.expr}, '${this.pick(HASHES)}')`, shape: { t: 'str', long: true, gen: true } } : null;
      }
      case 'JsonMerge': {
        const a = this.pathOf(shape, (s) => s.t === 'obj' && !hasQuote(s));
        const b = this.pathOf(shape, (s) => s.t === 'obj' && (depth === 0 || !hasQuote(s)));
        if (!a || !b) return null;
        // B's fields the shape does not know of (a meet drops them) replace A's: A's are
        // there, of no known type (seed 212297)
        const f = {};
        for (const k of Object.keys(a.shape.f)) f[k] = { t: 'any', q: hasQuote(a.shape) || hasQuote(b.shape) || undefined };
        Object.assign(f, b.shape.f);
        // local-sfn merges into its first argument in place (DEVIATIONS.md): a copy
        return { expr: `States.JsonMerge(States.StringToJson(States.JsonToString(${a.path})), ${b.path}, false)`, shape: { t: 'obj', f, q: hasQuote(a.shape) || hasQuote(b.shape) || undefined } };
      }
      case 'MathAdd': {
        // integers only: AWS's rounding of other numbers is the corpus's to test
        const a = A((s) => s.t === 'int'), b = A((s) => s.t === 'int');
        return a && b ? { expr: `States.MathAdd(${a.expr}, ${b.expr})`, shape: { t: 'int' } } : null;
      }
      case 'StringSplit': {
        // a string from the input or a literal (no intrinsic's result, gen, which could
        // have empty parts, even when stored in the document), and one delimiter character: local-sfn splits on the
        // whole delimiter string (DEVIATIONS.md)
        const a = this.arg(shape, (x) => isString(x) && !x.gen, 2);
        return a ? { expr: `States.StringSplit(${a.expr}, '${this.pick([' ', '/', '-', ','])}')`, shape: { t: 'arr', of: { t: 'str' } } } : null;
      }
    }
    return null;
  }

  // ------------------------------------------------------------ payload templates
  // Returns {tmpl, shape}; EXTRA adds fields (ItemSelector's $$.Map.Item).
  template(shape, depth, env, extra) {
    const tmpl = {}, f = {};
    for (let i = this.int(1, 4); i > 0; i--) {
      const k = this.field();
      const r = this.int(0, 9);
      if (r < 2) { const v = this.value(2); tmpl[k] = v; f[k] = shapeOf(v); }
      else if (r < 5) {
        const p = this.pathOf(shape, () => true);
        if (p) { tmpl[k + '.$'] = p.path; f[k] = p.shape; }
      }
      else if (r < 8) {
        const c = this.intrinsic(shape, 0);
        if (c) { tmpl[k + '.$'] = c.expr; f[k] = c.shape; }
      } else if (r === 8 && depth < 2) {
        const t = this.template(shape, depth + 1, env);
        tmpl[k] = t.tmpl; f[k] = t.shape;
      } else if (!env.body) { // $$.Execution.Input is the execution's input only at the top (DEVIATIONS.md)
        tmpl[k + '.$'] = '$$.Execution.Input'; f[k] = env.input;
      }
    }
    if (extra) for (const k of Object.keys(extra)) { tmpl[k + '.$'] = extra[k].path; f[k] = extra[k].shape; }
    return { tmpl, shape: { t: 'obj', f } };
  }

  // Where a result goes: {rp (undefined: absent), shape after}. RESULT is its shape.
  resultPath(shape, result) {
    const r = this.int(0, 9);
    if (shape.t !== 'obj' || r < 3) return { rp: undefined, shape: result }; // not "$" spelled out: DEVIATIONS.md
    if (r === 3) return { rp: null, shape };
    // reference paths through fields only, no array steps
    const objs = paths(shape).filter((p) => p.shape.t === 'obj' && !p.path.includes('['));
    const base = r < 7 ? '$' : this.pick(objs).path;
    const k = r === 9 && Object.keys(shape.f).length ? this.pick(Object.keys(shape.f)) : this.field();
    // and now and then through an object that is not there yet: AWS creates it
    const rp = r === 8 ? `${base}.${this.field()}.${k}` : `${base}.${k}`;
    return { rp, shape: setField(shape, rp.slice(2).split('.'), result) };
  }

  // InputPath and OutputPath on a state that has more: the shape after them.
  inputPath(def, shape) {
    const p = this.chance(0.2) && this.pathOf(shape, (s) => s.t === 'obj');
    if (!p) return shape;
    def.InputPath = p.path;
    return p.shape;
  }
  outputPath(def, shape) {
    const p = this.chance(0.15) && this.pathOf(shape, (s) => s.t === 'obj' || s.t === 'arr');
    if (!p) return shape;
    def.OutputPath = p.path;
    return p.shape;
  }

  // ------------------------------------------------------------ states
  // A chain of states starting with one of SHAPE. Returns {entry, states, exits, shape,
  // ends, fails}: exits are {def, rule} links still open (their shape is .shape), ends
  // the shapes of the outputs of terminal states, fails the distinct failures possible.
  chain(shape, budget, env) {
    const out = { entry: null, states: {}, exits: [], shape, ends: [], fails: new Set() };
    let open = null; // the exits of the last block
    for (let i = 0; i < budget; i++) {
      const b = this.block(out.shape, env, i === budget - 1 ? 1 : budget - i);
      Object.assign(out.states, b.states);
      for (const e of b.ends) out.ends.push(e);
      for (const x of b.fails) out.fails.add(x);
      if (open) for (const x of open) link(x, b.entry); else out.entry = b.entry;
      open = b.exits;
      out.shape = b.shape;
      if (!open.length) break;
    }
    out.exits = open || [];
    return out;
  }

  // Closes a chain: its open exits end the workflow (End, or a Succeed for a Choice).
  close(c) {
    if (!c.exits.length) return c;
    if (c.exits.some((x) => x.rule) || this.chance(0.3)) {
      const n = this.name('Done');
      c.states[n] = { Type: 'Succeed' };
      for (const x of c.exits) link(x, n);
    } else {
      for (const x of c.exits) x.def.End = true;
    }
    c.ends.push(c.shape);
    c.exits = [];
    return c;
  }

  // A whole state machine (or branch, or Map body) on SHAPE.
  machine(shape, budget, env) {
    const c = this.close(this.chain(shape, budget, env));
    let s = null;
    for (const e of c.ends) s = meet(s, e);
    return { def: { StartAt: c.entry, States: c.states }, shape: s || { t: 'any' }, fails: c.fails };
  }

  block(shape, env, left) {
    const kinds = ['pass', 'pass', 'params', 'task', 'task', 'choice', 'wait', 'io'];
    if (env.depth < 2) kinds.push('parallel', 'map', 'map');
    if (!env.body && env.depth === 0) kinds.push('loop');
    if (left <= 2) kinds.push('fail', 'succeed');
    for (;;) {
      const b = this[this.pick(kinds)](shape, env);
      if (b) return b;
    }
  }

  one(name, def, shape) {
    return { entry: name, states: { [name]: def }, exits: [{ def }], shape, ends: [], fails: [] };
  }

  pass(shape) {
    const name = this.name('Pass');
    const def = { Type: 'Pass' };
    let result = shape;
    if (this.chance(0.7)) {
      // local-sfn passes the input on for a Result of null, false, 0 or "" (DEVIATIONS.md)
      do def.Result = this.value(this.chance(0.5) ? 0 : 1); while (!def.Result);
      result = shapeOf(def.Result);
    }
    const rp = this.resultPath(shape, result);
    if (rp.rp !== undefined) def.ResultPath = rp.rp;
    return this.one(name, def, rp.shape);
  }

  params(shape, env) {
    const name = this.name('Params');
    const def = { Type: 'Pass' };
    let input = shape;
    if (this.chance(0.3)) {
      const p = this.pathOf(shape, (s) => s.t === 'obj');
      if (p) { def.InputPath = p.path; input = p.shape; }
    }
    const t = this.template(input, 0, env);
    def.Parameters = t.tmpl;
    // now and then a path that selects nothing: States.Runtime, which no Catch takes
    const broken = this.chance(0.03);
    if (broken) def.Parameters[`${this.field()}.$`] = '$.nothing.here';
    const rp = this.resultPath(shape, t.shape);
    if (rp.rp !== undefined) def.ResultPath = rp.rp;
    let out = rp.shape;
    if (this.chance(0.2)) {
      const p = this.pathOf(out, (s) => s.t === 'obj');
      if (p) { def.OutputPath = p.path; out = p.shape; }
    }
    const b = this.one(name, def, out);
    if (broken) b.fails = ['States.Runtime|'];
    return b;
  }

  io(shape) {
    // InputPath and OutputPath on their own, and null (an empty object)
    const name = this.name('Io');
    const def = { Type: 'Pass' };
    let s = shape;
    const r = this.int(0, 3);
    if (r === 0) { def.InputPath = null; s = { t: 'obj', f: {} }; }
    else {
      const p = this.pathOf(shape, (x) => x.t === 'obj');
      if (!p) return null;
      if (r === 1) def.InputPath = p.path; else def.OutputPath = p.path;
      s = p.shape;
    }
    if (r === 3 && this.chance(0.5)) { def.OutputPath = null; s = { t: 'obj', f: {} }; }
    return this.one(name, def, s);
  }

  wait(shape) {
    const name = this.name('Wait');
    return this.one(name, { Type: 'Wait', Seconds: this.pick([1, 5, 60, 3600, 86400]) }, shape);
  }

  task(shape, env) {
    const name = this.name('Task');
    const def = { Type: 'Task' };
    let input = this.inputPath(def, shape);
    if (this.chance(0.5)) { const t = this.template(input, 0, env); def.Parameters = t.tmpl; input = t.shape; }
    // a call counter is per state, and Map iterations run in no fixed order: flaky tasks
    // only outside Map bodies
    const kinds = ['echo', 'echo', 'wrap', 'fail'];
    if (!env.map) kinds.push('flaky', 'flaky');
    const kind = this.pick(kinds);
    const err = this.pick(ERRORS);
    let result, fails = [];
    if (kind === 'echo') { def.Resource = FN + 'echo'; result = input; }
    else if (kind === 'wrap') { def.Resource = FN + 'wrap'; result = { t: 'obj', f: { from: { t: 'str' }, input } }; }
    else if (kind === 'fail') { def.Resource = FN + `fail-${err}`; result = null; }
    else { def.Resource = FN + `flaky-${this.int(1, 3)}-${err}`; result = { t: 'obj', f: { ok: { t: 'bool' }, calls: { t: 'int' } } }; }
    if (result && this.chance(0.3)) { const t = this.template(result, 1, env); def.ResultSelector = t.tmpl; result = t.shape; }
    if (kind !== 'echo' && kind !== 'wrap' && this.chance(0.8)) def.Retry = this.retry([err], true);
    const rp = this.resultPath(shape, result || shape);
    if (rp.rp !== undefined) def.ResultPath = rp.rp;
    rp.shape = this.outputPath(def, rp.shape);
    if (kind === 'fail' || kind === 'flaky') fails.push(`${err}|${kind === 'fail' ? `${name} failed` : 'flaky'}`);
    return this.catching(name, def, shape, rp.shape, env, fails, [err], true);
  }

  // States.TaskFailed on Tasks only: local-sfn never matches it elsewhere (DEVIATIONS.md)
  retry(errs, task) {
    const out = [];
    for (let i = this.int(1, 2); i > 0; i--) {
      const r = { ErrorEquals: [] };
      if (this.chance(0.2)) r.ErrorEquals.push('States.ALL');
      else if (task && this.chance(0.15)) r.ErrorEquals.push('States.TaskFailed');
      else {
        for (const e of ERRORS) if (this.chance(0.3)) r.ErrorEquals.push(e);
        if (this.chance(0.6)) r.ErrorEquals.push(this.pick(errs));
        if (!r.ErrorEquals.length) r.ErrorEquals.push(this.pick(ERRORS));
        r.ErrorEquals = [...new Set(r.ErrorEquals)];
      }
      if (this.chance(0.7)) r.MaxAttempts = this.int(0, 4);
      if (this.chance(0.5)) r.IntervalSeconds = this.int(1, 600);
      if (this.chance(0.5)) r.BackoffRate = this.pick([1, 1.5, 2, 3]);
      if (this.chance(0.2)) r.MaxDelaySeconds = this.int(1, 100);
      if (this.chance(0.2)) r.JitterStrategy = this.pick(['FULL', 'NONE']);
      out.push(r);
      if (r.ErrorEquals[0] === 'States.ALL') break;
    }
    return out;
  }

  // Adds a Catch to DEF (a Task, Parallel or Map) maybe; each catcher leads to a
  // small chain that ends the workflow.
  catching(name, def, inShape, outShape, env, fails, errs, task) {
    const b = { entry: name, states: { [name]: def }, exits: [{ def }], shape: outShape, ends: [], fails: new Set(fails) };
    if (!fails.length || !this.chance(0.6)) return b;
    def.Catch = [];
    // States.ALL would catch the engine's own errors, whose causes local-sfn words its
    // own way (DEVIATIONS.md), into the output
    const engine = fails.some((x) => x.startsWith('States.'));
    for (let i = this.int(1, 2); i > 0; i--) {
      const all = !engine && this.chance(0.3);
      const c = { ErrorEquals: all ? ['States.ALL'] : task && this.chance(0.2) ? ['States.TaskFailed'] : [...new Set([this.pick(errs), this.pick(ERRORS)])] };
      const errShape = { t: 'obj', f: { Error: { t: 'str' }, Cause: { t: 'str' } } };
      const rp = this.resultPath(inShape, errShape);
      if (rp.rp !== undefined) c.ResultPath = rp.rp;
      const h = this.close(this.chain(rp.shape, this.int(1, 2), { ...env, depth: env.depth + 1 }));
      Object.assign(b.states, h.states);
      for (const e of h.ends) b.ends.push(e);
      for (const x of h.fails) b.fails.add(x);
      c.Next = h.entry;
      def.Catch.push(c);
      if (all) break;
    }
    return b;
  }

  rule(shape, depth) {
    const r = this.int(0, 9);
    if (depth < 2 && r === 0) return { And: [this.rule(shape, depth + 1), this.rule(shape, depth + 1)] };
    if (depth < 2 && r === 1) return { Or: [this.rule(shape, depth + 1), this.rule(shape, depth + 1)] };
    if (depth < 2 && r === 2) return { Not: this.rule(shape, depth + 1) };
    if (r === 3) {
      // "Is*": true only, and Not for false (DEVIATIONS.md); IsPresent on a missing field too
      const p = this.pathOf(shape, () => true);
      if (!p || this.chance(0.4)) return { Variable: !p || this.chance(0.5) ? '$.missing' : p.path, IsPresent: true };
      // IsTimestamp not on arrays or objects: local-sfn tests their text (DEVIATIONS.md)
      const tests = ['IsNull', 'IsNumeric', 'IsString', 'IsBoolean'];
      if (isScalar(p.shape)) tests.push('IsTimestamp');
      return { Variable: p.path, [this.pick(tests)]: true };
    }
    const p = this.pathOf(shape, (s) => isNumber(s) || isString(s) || s.t === 'bool');
    if (!p) return { Variable: '$.missing', IsPresent: true };
    const usePath = this.chance(0.3);
    const cmp = this.pick(['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']);
    if (isNumber(p.shape)) {
      const q = usePath && this.pathOf(shape, isNumber);
      if (q) return { Variable: p.path, [`Numeric${cmp}Path`]: q.path };
      return { Variable: p.path, [`Numeric${cmp}`]: this.pick([this.int(-50, 1000), this.int(-400, 400) + 0.5]) };
    }
    if (p.shape.t === 'bool') {
      const q = usePath && this.pathOf(shape, (s) => s.t === 'bool');
      return q ? { Variable: p.path, BooleanEqualsPath: q.path } : { Variable: p.path, BooleanEquals: this.chance(0.5) };
    }
    if (p.shape.t === 'ts' && this.chance(0.6)) {
      const q = usePath && this.pathOf(shape, (s) => s.t === 'ts');
      if (q) return { Variable: p.path, [`Timestamp${cmp}Path`]: q.path };
      return { Variable: p.path, [`Timestamp${cmp}`]: this.pick(TIMESTAMPS) };
    }
    if (this.chance(0.25)) {
      // wildcards: letters, digits and '*' only (DEVIATIONS.md: '?' and brackets)
      return { Variable: p.path, StringMatches: this.pick(['*', 'a*', '*a*', 'al*a', '*z', 'x*y', '*-1', 'beta']) };
    }
    const q = usePath && this.pathOf(shape, isString);
    if (q) return { Variable: p.path, [`String${cmp}Path`]: q.path };
    return { Variable: p.path, [`String${cmp}`]: this.pick(WORDS) };
  }

  choice(shape, env) {
    const name = this.name('Choice');
    const def = { Type: 'Choice', Choices: [] };
    const b = { entry: name, states: { [name]: def }, exits: [], shape: null, ends: [], fails: new Set() };
    const target = (tag) => {
      if (this.chance(0.5)) return { rule: tag }; // back into the main chain
      const h = this.chain(shape, this.int(1, 2), { ...env, depth: env.depth + 1 });
      Object.assign(b.states, h.states);
      for (const e of h.ends) b.ends.push(e);
      for (const x of h.fails) b.fails.add(x);
      for (const x of h.exits) b.exits.push(x);
      if (h.exits.length) b.shape = meet(b.shape, h.shape);
      return h.entry;
    };
    for (let i = this.int(1, 3); i > 0; i--) {
      const rule = this.rule(shape, 0);
      const t = target(true);
      if (typeof t === 'string') rule.Next = t;
      else { b.exits.push({ def: rule, rule: true }); b.shape = meet(b.shape, shape); }
      def.Choices.push(rule);
    }
    if (this.chance(0.85)) {
      const t = target(true);
      if (typeof t === 'string') def.Default = t;
      else { b.exits.push({ def, rule: true, dflt: true }); b.shape = meet(b.shape, shape); }
    } else {
      b.fails.add('States.NoChoiceMatched|');
    }
    b.shape = b.shape || shape;
    return b;
  }

  fail(shape, env) {
    // Quotes and non-ASCII only where no Catch can bring the cause into the data (see WORDS)
    const causes = ['it broke', 'x/y', 'no luck!'];
    if (!env.body) causes.push('no "luck"', 'é \\ 日本');
    const name = this.name('Fail');
    const def = { Type: 'Fail', Error: this.pick(ERRORS), Cause: this.pick(causes) };
    // ErrorPath and CausePath outside Parallel and Map bodies: their values may differ
    // from one branch or iteration to the next (see parallel())
    const e = !env.body && this.chance(0.2) && this.pathOf(shape, isString);
    if (e) { delete def.Error; def.ErrorPath = e.path; }
    const c = !env.body && this.chance(0.2) && this.pathOf(shape, isString);
    if (c) { delete def.Cause; def.CausePath = c.path; }
    return { entry: name, states: { [name]: def }, exits: [], shape: null, ends: [], fails: [`${def.Error}|${def.Cause}`] };
  }

  succeed(shape) {
    const name = this.name('Succeed');
    const def = { Type: 'Succeed' };
    let s = shape;
    const p = this.chance(0.3) && this.pathOf(shape, () => true);
    if (p) { def.OutputPath = p.path; s = p.shape; }
    return { entry: name, states: { [name]: def }, exits: [], shape: null, ends: [s], fails: [] };
  }

  // Parallel and Map: a failure in more than one branch or of more than one kind
  // makes which one AWS reports depend on timing; the generator keeps to one.
  parallel(shape, env) {
    const name = this.name('Parallel');
    const def = { Type: 'Parallel', Branches: [] };
    const sub = { ...env, depth: env.depth + 1, body: true };
    const of = [], fails = new Set();
    const input = this.inputPath(def, shape);
    for (let i = this.int(1, 3); i > 0; i--) {
      const m = this.machine(input, this.int(1, 3), sub);
      if (m.fails.size && fails.size) continue;
      for (const x of m.fails) fails.add(x);
      if (fails.size > 1) return null;
      def.Branches.push(m.def);
      of.push(m.shape);
    }
    let result = { t: 'arr', of: of.reduce(meet, null), len: of.length };
    if (this.chance(0.3)) { const t = this.template(result, 1, env); def.ResultSelector = t.tmpl; result = t.shape; }
    const rp = this.resultPath(shape, result);
    if (rp.rp !== undefined) def.ResultPath = rp.rp;
    rp.shape = this.outputPath(def, rp.shape);
    if (fails.size && this.chance(0.7)) def.Retry = this.retry(errorsOf(fails));
    return this.catching(name, def, shape, rp.shape, env, [...fails], errorsOf(fails));
  }

  map(shape, env) {
    const def = { Type: 'Map' };
    const input = this.inputPath(def, shape);
    const p = this.pathOf(input, (s) => s.t === 'arr' && s.of.t !== 'any');
    if (!p) return null;
    const name = this.name('Map');
    def.ItemsPath = p.path;
    let item = p.shape.of;
    if (this.chance(0.5)) {
      const t = this.template(input, 1, env, {
        value: { path: '$$.Map.Item.Value', shape: item },
        index: { path: '$$.Map.Item.Index', shape: { t: 'int' } },
      });
      def[this.chance(0.2) ? 'Parameters' : 'ItemSelector'] = t.tmpl; // Parameters: the older name
      item = t.shape;
    }
    const m = this.machine(item, this.int(1, 3), { ...env, depth: env.depth + 1, body: true, map: true });
    if (m.fails.size > 1) return null;
    if (this.chance(0.2)) def.Iterator = m.def; // the older name
    else {
      def.ItemProcessor = m.def;
      if (this.chance(0.5)) def.ItemProcessor.ProcessorConfig = { Mode: 'INLINE' };
    }
    if (this.chance(0.5)) def.MaxConcurrency = this.int(0, 3);
    let result = { t: 'arr', of: m.shape, len: p.shape.len };
    if (this.chance(0.2)) { const t = this.template(result, 1, env); def.ResultSelector = t.tmpl; result = t.shape; }
    const rp = this.resultPath(shape, result);
    if (rp.rp !== undefined) def.ResultPath = rp.rp;
    rp.shape = this.outputPath(def, rp.shape);
    if (m.fails.size && this.chance(0.5)) def.Retry = this.retry(errorsOf(m.fails));
    return this.catching(name, def, shape, rp.shape, env, [...m.fails], errorsOf(m.fails));
  }

  // A counted loop: a counter in $.loopN, one more each round, a Choice back.
  loop(shape) {
    if (shape.t !== 'obj') return null;
    const k = this.field();
    const init = this.name('LoopInit'), step = this.name('LoopStep'), test = this.name('LoopTest');
    const states = {
      [init]: { Type: 'Pass', Result: { i: 0 }, ResultPath: `$.${k}`, Next: step },
      [step]: { Type: 'Pass', Parameters: { 'i.$': `States.MathAdd($.${k}.i, 1)` }, ResultPath: `$.${k}`, Next: test },
      [test]: { Type: 'Choice', Choices: [{ Variable: `$.${k}.i`, NumericLessThan: this.int(1, 30), Next: step }] },
    };
    const s = setField(shape, [k], { t: 'obj', f: { i: { t: 'int' } } });
    return { entry: init, states, exits: [{ def: states[test], rule: true, dflt: true }], shape: s, ends: [], fails: [] };
  }
}

function errorsOf(fails) {
  const e = [...fails].map((x) => x.split('|')[0]).filter((x) => !x.startsWith('States.'));
  return e.length ? e : ERRORS;
}

function link(x, to) {
  if (x.dflt) x.def.Default = to;
  else x.def.Next = to;
}

// The case of SEED: {definition, input}.
function generate(seed) {
  const g = new Gen(seed);
  const input = g.input();
  const env = { depth: 0, body: false, map: false, input: shapeOf(input) };
  const m = g.machine(shapeOf(input), g.int(2, 8), env);
  const definition = { Comment: `differential case ${seed}`, StartAt: m.def.StartAt, States: m.def.States };
  // under 2^31 ms, local-sfn's setTimeout limit, and far above what the waits add up to
  if (g.chance(0.2)) definition.TimeoutSeconds = 2000000;
  return { seed, definition, input };
}

module.exports = { generate };

if (require.main === module) {
  const seed = Number(process.argv[2] || 1);
  process.stdout.write(JSON.stringify(generate(seed), null, 2) + '\n');
}
