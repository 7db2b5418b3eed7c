#!/usr/bin/env node
// Checks every attribute written in DOT files against Graphviz's documented
// attributes (dot-attrs.txt): dot itself accepts unknown attribute names, and
// attributes on objects that do not use them, without a word.
//
//   node tests/docs/dot-attrs.js FILE.dot...
//
// Each attribute is judged on the object it is written on: `graph [...]` and
// `name=value` statements on the root graph (G), a cluster (C: a subgraph
// whose name starts with "cluster", any case, as dot 2.43 takes it) or
// another subgraph (S); `node [...]` and node statements on nodes (N);
// `edge [...]` and edge statements on edges (E).
// The file is parsed here, not from `dot -Tcanon`: canon output drops an
// attribute whose value equals its default (`a [x=""]`), so it would hide
// an unknown attribute written with an empty value.
// Prints FILE:LINE: MESSAGE per problem and last "dot-attrs: N passed,
// N failed" (files); exits 1 if a file failed.
'use strict';
const fs = require('fs');
const path = require('path');

const KIND = { G: 'the root graph', S: 'subgraphs', C: 'clusters', N: 'nodes', E: 'edges' };

const known = new Map();
for (const line of fs.readFileSync(path.join(__dirname, 'dot-attrs.txt'), 'utf8').split('\n')) {
  if (line && !line.startsWith('#')) {
    const [name, kinds] = line.split(' ');
    known.set(name, kinds);
  }
}

class DotError extends Error {
  constructor(line, message) { super(message); this.line = line; }
}

// DOT tokens: {type, value, line}; type is an ID kind (id, string, html)
// or the punctuation itself. Keywords are ids, compared case-insensitively.
function tokenize(text) {
  const tokens = [];
  let i = 0, line = 1;
  const fail = msg => { throw new DotError(line, msg); };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (text.startsWith('//', i) || (c === '#' && (i === 0 || text[i - 1] === '\n'))) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      line += (text.slice(i, end).match(/\n/g) || []).length;
      i = end + 2;
      continue;
    }
    const start = line;
    if (text.startsWith('->', i) || text.startsWith('--', i)) {
      tokens.push({ type: 'edgeop', line }); i += 2; continue;
    }
    if ('{}[];,=:+'.includes(c)) { tokens.push({ type: c, line }); i++; continue; }
    if (c === '"') { // a backslash takes the next character with it
      let value = '';
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) fail('unterminated string');
        if (text[i] === '\\' && i + 1 < text.length) {
          if (text[i + 1] === '\n') { line++; i++; continue; } // line continuation
          value += text[i + 1] === '"' ? '"' : text.slice(i, i + 2);
          i++;
          continue;
        }
        if (text[i] === '\n') line++;
        value += text[i];
      }
      i++;
      tokens.push({ type: 'string', value, line: start });
      continue;
    }
    if (c === '<') { // HTML string: up to the matching '>'
      let depth = 0, j = i;
      for (; j < text.length; j++) {
        if (text[j] === '<') depth++;
        else if (text[j] === '>' && --depth === 0) break;
        else if (text[j] === '\n') line++;
      }
      if (j >= text.length) fail('unterminated HTML string');
      tokens.push({ type: 'html', value: text.slice(i + 1, j), line: start });
      i = j + 1;
      continue;
    }
    const m = /^(?:-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)|[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)/.exec(text.slice(i, i + 1000));
    if (!m) fail(`unexpected character ${JSON.stringify(c)}`);
    tokens.push({ type: 'id', value: m[0], line });
    i += m[0].length;
  }
  return tokens;
}

const ID_TYPES = new Set(['id', 'string', 'html']);

// Parses the tokens of one graph, calling use(name, kind, line) for every
// attribute written. Follows the DOT grammar of Graphviz's lang.html.
function parse(tokens, use) {
  let p = 0;
  const peek = (k = 0) => tokens[p + k] || { type: 'end of file', line: (tokens[tokens.length - 1] || { line: 1 }).line };
  const fail = msg => { throw new DotError(peek().line, `${msg}, at ${describe(peek())}`); };
  const describe = t => (t.value !== undefined ? JSON.stringify(t.value) : t.type);
  const keyword = (t, word) => t.type === 'id' && t.value.toLowerCase() === word;
  const expect = type => { if (peek().type !== type) fail(`expected ${type}`); return tokens[p++]; };
  const id = () => {
    if (!ID_TYPES.has(peek().type)) fail('expected an ID');
    const t = tokens[p++];
    let value = t.value;
    while (t.type === 'string' && peek().type === '+' && peek(1).type === 'string') {
      p++;
      value += tokens[p++].value;
    }
    return { value, line: t.line };
  };
  const attrList = kind => {
    while (peek().type === '[') {
      p++;
      while (peek().type !== ']') {
        const name = id();
        expect('=');
        id();
        use(name.value, kind, name.line);
        if (peek().type === ',' || peek().type === ';') p++;
      }
      p++;
    }
  };
  const nodeId = () => {
    id();
    if (peek().type === ':') { p++; id(); if (peek().type === ':') { p++; id(); } }
  };
  const subgraph = () => { // at 'subgraph' or '{'
    let kind = 'S';
    if (keyword(peek(), 'subgraph')) {
      p++;
      if (ID_TYPES.has(peek().type) && /^cluster/i.test(id().value)) kind = 'C';
    }
    body(kind);
  };
  const body = kind => {
    expect('{');
    while (peek().type !== '}') {
      if (peek().type === 'end of file') fail("expected '}'");
      stmt(kind);
      if (peek().type === ';') p++;
    }
    p++;
  };
  const stmt = graphKind => {
    const t = peek();
    if (keyword(t, 'graph') || keyword(t, 'node') || keyword(t, 'edge')) {
      p++;
      if (peek().type !== '[') fail('expected [ after ' + t.value);
      attrList({ graph: graphKind, node: 'N', edge: 'E' }[t.value.toLowerCase()]);
      return;
    }
    if (ID_TYPES.has(t.type) && peek(1).type === '=' && !keyword(t, 'subgraph')) {
      const name = id();
      p++;
      id();
      use(name.value, graphKind, name.line);
      return;
    }
    const operand = () => {
      if (peek().type === '{' || keyword(peek(), 'subgraph')) subgraph();
      else nodeId();
    };
    const isSubgraph = peek().type === '{' || keyword(peek(), 'subgraph');
    operand();
    if (peek().type === 'edgeop') {
      while (peek().type === 'edgeop') { p++; operand(); }
      attrList('E');
    } else if (!isSubgraph) {
      attrList('N');
    }
  };
  if (keyword(peek(), 'strict')) p++;
  if (!keyword(peek(), 'graph') && !keyword(peek(), 'digraph')) fail('expected graph or digraph');
  p++;
  if (ID_TYPES.has(peek().type)) id();
  body('G');
  if (p < tokens.length) fail('text after the graph');
}

let passed = 0, failed = 0;
for (const file of process.argv.slice(2)) {
  const problems = [];
  try {
    parse(tokenize(fs.readFileSync(file, 'utf8')), (name, kind, line) => {
      const kinds = known.get(name);
      if (kinds === undefined) {
        problems.push(`${file}:${line}: unknown Graphviz attribute ${name}`);
      } else if (!kinds.includes(kind)) {
        const on = [...kinds].map(k => KIND[k]).join(', ');
        problems.push(`${file}:${line}: attribute ${name} is not used on ${KIND[kind]} (Graphviz: ${on})`);
      }
    });
  } catch (e) {
    if (!(e instanceof DotError)) throw e.code ? new Error(`${file}: ${e.message}`) : e;
    problems.push(`${file}:${e.line}: cannot parse the DOT: ${e.message}`);
  }
  problems.forEach(line => console.log(line));
  if (problems.length) failed++; else passed++;
}
console.log(`dot-attrs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
