#!/usr/bin/env node
// The escaping rules of ESCAPING.md, checked against the real tools: the
// escape functions recommended there (below, as code) must carry every hard
// string through Mermaid (parse, then the label text Mermaid keeps, read as
// the HTML it becomes) and through Graphviz (dot -Tsvg, then the SVG text)
// unchanged; and each "what breaks" claim must still hold, so that a new
// Mermaid or Graphviz that changes a rule shows up here.
//
//   node tests/docs/escaping.mjs        (from anywhere; needs tests/node_modules and dot)
//
// Prints "ok"/"FAIL" per claim and last "escaping: N passed, N failed".
// What only a browser shows (a \n written in a Mermaid label becomes a line
// break, <b> is bold) was checked once with render.sh's Mermaid CLI; see
// ESCAPING.md.
import { execFileSync } from 'node:child_process';
import mermaid from './mermaid-dom.mjs';

// ---- the recommended escape functions ----

// Text of a Mermaid flowchart label: node ["..."], edge |"..."|, subgraph ["..."].
const MMD = { '"': '#quot;', '#': '#35;', '&': '#amp;', '<': '#lt;', '>': '#gt;', '\\': '#92;', '`': '#96;', '\n': '<br>' };
function mmdLabel(s) {
  let out = '';
  for (const c of s) out += MMD[c] ?? (c < ' ' || c === '\x7f' ? ' ' : c);
  return '"' + (out === '' ? '#32;' : out) + '"';
}
// A Mermaid node or subgraph ID: s_ and the name, every character but
// [A-Za-z0-9] written _HEX_ ('_' as __): no keyword, no o/x edge ending.
function mmdId(name, prefix = 's_') {
  let out = prefix;
  for (const c of name) {
    out += /[A-Za-z0-9]/.test(c) ? c : c === '_' ? '__' : `_${c.codePointAt(0).toString(16)}_`;
  }
  return out;
}
// A DOT quoted ID: only \ and " need a backslash (use safe names anyway,
// and always give a label: a name shown through \N is read as a label).
function dotId(s) {
  return '"' + s.replace(/[\\"]/g, c => '\\' + c) + '"';
}
// The text of a DOT label in "..." (an escString): \ and " take a backslash,
// & is written &amp; (dot decodes HTML entities in every label), a newline
// is \n (centred; \l ends a left-justified line).
function labelText(s) {
  return s.replace(/[\\"]/g, c => '\\' + c).replace(/&/g, '&amp;').replace(/\r/g, '').replace(/\n/g, '\\n');
}
function dotLabel(s) {
  return '"' + labelText(s) + '"';
}
// The text of a DOT HTML-like label, inside <...> (an empty one is an error):
// XML escapes, \ doubled (dot reads \N there too), a newline as <BR/>.
function dotHtml(s) {
  const ent = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\\': '\\\\', '\n': '<BR/>' };
  return s.replace(/[&<>"\\\n]/g, c => ent[c]);
}
// A record-shape label: its fields' texts escaped as labels, then { } | < >
// with a backslash; joined with | and quoted.
function dotRecord(fields) {
  return '"' + fields.map(f => labelText(f).replace(/[{}|<>]/g, c => '\\' + c)).join('|') + '"';
}

// ---- the test harness ----
let passed = 0, failed = 0;
const claim = (what, ok, detail = '') => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} ${what}${ok || !detail ? '' : ': ' + detail}`);
};
const shown = html => { // what a label's HTML shows: entities decoded, <br> a newline
  const div = document.createElement('div');
  div.innerHTML = html.replace(/<br\s*\/?>/gi, '\n');
  return div.textContent;
};
const unmark = s => s.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';'); // Mermaid's entity marks
async function flowchart(body) {
  const d = await mermaid.mermaidAPI.getDiagramFromText('flowchart TD\n' + body + '\n');
  return {
    nodes: new Map([...d.db.getVertices().values()].map(v => [v.id, shown(unmark(v.text))])),
    edges: d.db.getEdges().map(e => ({ start: e.start, end: e.end, type: e.type, text: shown(unmark(e.text)) })),
    subgraphs: new Map(d.db.getSubGraphs().map(s => [s.id, shown(unmark(s.title))])),
  };
}
const parses = async body => { try { await flowchart(body); return true; } catch { return false; } };
const svgTexts = dot => execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
  .split('\n').filter(l => l.startsWith('<text')).map(l => shown(l.replace(/^<text[^>]*>|<\/text>$/g, '')));

const HARD = [
  'Validate "order" [v2]', '{json} | $.items[0] (x)', 'Total > 100 & paid?',
  '<b>not bold</b> &amp; &lt;', 'C# #1; #quot; #35;12;', 'back\\slash \\n \\N \\l \\',
  '`code` **not markdown** _x_', '`all in backticks`', 'a;b:c,d=e', '--> -.-> ==> --- o x',
  '%% not a comment', 'end', 'subgraph style click class graph', '日本 ✓ café 😀',
  'two\nlines', "it's 'single'", 'x:::cls', 'A & B', '[*]',
];

// ---- Mermaid: the functions carry every hard string ----
for (const s of HARD) {
  const label = JSON.stringify(s);
  try {
    const a = mmdId(s), b = mmdId(s + '2'), g = mmdId(s, 'g_');
    const f = await flowchart(`  ${a}[${mmdLabel(s)}]\n  ${b}(${mmdLabel(s)})\n  ${a} -.->|${mmdLabel(s)}| ${b}\n` +
      `  subgraph ${g} [${mmdLabel(s)}]\n    ${b}\n  end\n  ${a} --- ${g}`);
    const got = [f.nodes.get(a), f.nodes.get(b), f.edges[0]?.text, f.subgraphs.get(g)];
    const ids = f.edges.length === 2 && f.edges[0].start === a && f.edges[0].end === b && f.edges[1].end === g;
    claim(`mermaid: ${label} as node, edge and subgraph label, and as ID`,
      got.every(t => t === s) && ids, `labels ${JSON.stringify(got)}, edges ${JSON.stringify(f.edges)}`);
  } catch (e) {
    claim(`mermaid: ${label} as node, edge and subgraph label, and as ID`, false, e.message.split('\n').pop());
  }
}
claim('mermaid: an empty label is #32; (a blank); A[""] does not parse',
  (await flowchart(`  A[${mmdLabel('')}]`)).nodes.get('A').trim() === '' && !(await parses('  A[""]')));

// ---- Mermaid: what breaks without them ----
const breaks = [
  ['a " inside a quoted label does not parse', async () => !(await parses('  A["a "b" c"]'))],
  ['a " can vanish instead: "Ship "fast"" parses as Ship fast', async () =>
    (await flowchart('  A["Ship "fast""]')).nodes.get('A') === 'Ship fast'],
  ['\\" is no escape in Mermaid', async () => !(await parses('  A["a \\"b\\" c"]'))],
  ['unquoted labels break on ( ) [ ] { } | and "', async () => {
    for (const c of ['(', ')', '[', ']', '{', '}', '|', '"']) if (await parses(`  A[a ${c} b]`)) return false;
    return true;
  }],
  ['#NNN; and #name; are entities anywhere: "issue #12; next" loses #12;', async () =>
    (await flowchart('  A["issue #12; next"]')).nodes.get('A') === 'issue \f next'],
  ['#x2603; (hex) is no entity: shown as &x2603;', async () =>
    (await flowchart('  A["#x2603;"]')).nodes.get('A') === '&x2603;'],
  ['<b> and <img> in a label are HTML, not text', async () =>
    (await flowchart('  A["<b>x</b>"]')).nodes.get('A') === 'x'],
  ['"`...`" is a Markdown string: its backticks vanish', async () =>
    (await flowchart('  A["`**b**`"]')).nodes.get('A') === '**b**'],
  ['a label line that starts with %% is cut as a comment (a raw newline before it)', async () =>
    !(await parses('  A["x\n%% y"]'))],
  ['end, graph, flowchart, subgraph, style, click, class, classDef, linkStyle, call, href, interpolate, _self, _blank are no node IDs', async () => {
    for (const id of ['end', 'graph', 'flowchart', 'subgraph', 'style', 'click', 'class', 'classDef', 'linkStyle', 'call', 'href', 'interpolate', '_self', '_blank']) {
      if (await parses(`  A --> ${id}`)) return false;
    }
    return true;
  }],
  ['End, END, endx, default, direction are node IDs', async () =>
    (await parses('  A --> End\n  A --> END\n  A --> endx\n  A --> default\n  A --> direction'))],
  ['A---oB is a circle edge to B; A---ox one to x', async () => {
    const f = await flowchart('  A---oB\n  C---ox');
    return f.nodes.has('B') && f.nodes.has('x') && !f.nodes.has('oB') && f.edges.every(e => e.type === 'arrow_circle');
  }],
  ['A--xB is a cross edge to B', async () => (await flowchart('  A--xB')).edges[0].type === 'arrow_cross'],
  ['with spaces, A --- oB links to oB', async () => (await flowchart('  A --- oB')).nodes.has('oB')],
  ['subgraph end ... end: a subgraph titled "end A", without node A, silently', async () => {
    const f = await flowchart('  subgraph end\n  A\n  end');
    return [...f.subgraphs.values()][0].replace(/\s+/g, ' ') === 'end A' && !f.nodes.has('A');
  }],
];
for (const [what, test] of breaks) {
  let ok = false;
  try { ok = await test(); } catch { ok = false; }
  claim(`mermaid breaks: ${what}`, ok);
}

// ---- Graphviz: the functions carry every hard string ----
const lines = s => s.split('\n').map(l => l.trim()).filter(Boolean);
for (const s of HARD) {
  const label = JSON.stringify(s);
  try {
    const texts = svgTexts(`digraph ${dotId('g' + s)} {\n` +
      `  ${dotId(s)} [label=${dotLabel(s)}];\n` +
      `  ${dotId('h' + s)} [label=<${dotHtml(s)}>];\n` +
      `  ${dotId(s)} -> ${dotId('h' + s)} [label=${dotLabel(s)}];\n}\n`);
    const want = lines(s);
    const got = lines(texts.join('\n'));
    const ok = got.length === 3 * want.length && got.every((t, i) => t === want[i % want.length]);
    claim(`dot: ${label} as quoted ID, "label", <HTML label> and edge label`, ok, JSON.stringify(texts));
  } catch (e) {
    claim(`dot: ${label} as quoted ID, "label", <HTML label> and edge label`, false, String(e.stderr || e.message).trim());
  }
}
for (const s of ['{json} | $.items[0]', '<p> a|b {c}', 'C:\\dir\\', '"q" &amp; \\N']) {
  try {
    const texts = svgTexts(`digraph { a [shape=record, label=${dotRecord([s, 'x'])}]; }\n`);
    claim(`dot: ${JSON.stringify(s)} as a record field`, texts[0] === s && texts[1] === 'x', JSON.stringify(texts));
  } catch (e) {
    claim(`dot: ${JSON.stringify(s)} as a record field`, false, String(e.stderr || e.message).trim());
  }
}

// ---- Graphviz: what breaks without them ----
const dotFails = src => { try { execFileSync('dot', ['-Tsvg'], { input: src, stdio: 'pipe' }); return false; } catch { return true; } };
const dotBreaks = [
  ['a label ending in an unescaped \\ swallows its quote', () => dotFails('digraph { a [label="x\\"]; }')],
  ['\\t (any unknown escape) loses its backslash', () => svgTexts('digraph { a [label="tab\\there"]; }')[0] === 'tabthere'],
  ['\\N in a label is the node name', () => svgTexts('digraph { a [label="x\\Ny"]; }')[0] === 'xay'],
  ['\\N is the node name even in an HTML label, written &#92;N too', () =>
    svgTexts('digraph { a [label=<x&#92;Ny>]; }')[0] === 'xay'],
  ['\\n is no line break in an HTML label', () => svgTexts('digraph { a [label=<x\\ny>]; }')[0] === 'x\\ny'],
  ['a raw & in an HTML label is an error', () => dotFails('digraph { a [label=<x & y>]; }')],
  ['&amp; &#35; in a "label" are HTML entities too: shown as & #', () =>
    svgTexts('digraph { a [label="x &amp; &#35;"]; }')[0] === 'x & #'],
  ['a raw < in an HTML label is an error', () => dotFails('digraph { a [label=<x < y>]; }')],
  ['an empty HTML label <> is an error', () => dotFails('digraph { a [label=<>]; }')],
  ['node, edge, graph, digraph, subgraph, strict (any case) are no unquoted IDs', () =>
    ['node', 'Edge', 'GRAPH', 'digraph', 'subgraph', 'strict'].every(k => dotFails(`digraph { a -> ${k}; }`))],
  ['an unquoted ID with - or . is an error', () => dotFails('digraph { a-b; }') && dotFails('digraph { a.b; }')],
  ['an unescaped | in a record label splits the field', () => svgTexts('digraph { a [shape=record, label="a|b"]; }').length === 2],
];
for (const [what, test] of dotBreaks) {
  let ok = false;
  try { ok = test(); } catch { ok = false; }
  claim(`dot breaks: ${what}`, ok);
}

console.log(`escaping: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
