#!/usr/bin/env node
// Writes dot-attrs.txt: every attribute Graphviz documents, with the kinds of
// object that use it, taken from the attribute table of attrs.html ("Node,
// Edge and Graph Attributes") in Debian's graphviz-doc package. Each table
// row names one or more attributes (<A NAME=a:NAME ...>) in its first cell
// and the "Used By" letters in its second: E edge, N node, G root graph,
// S subgraph, C cluster. An attribute with two meanings has two rows (the
// second as NAME=aa:NAME: orientation, for nodes and for the root graph);
// its kinds are the union.
//
//   node tests/docs/gen-dot-attrs.js [ATTRS.HTML] > tests/docs/dot-attrs.txt
//
// Why attrs.html: the package's machine-readable schema/attributes.xml is
// stale (it lacks penwidth, xlabel, id, ... and 30 others, and gives wrong
// kinds for 12), while attrs.html is the documentation page itself.
// dot-attrs.txt was generated from graphviz-doc 2.42.2-7+deb12u1 (Debian 12),
// the same version as the graphviz package whose dot the oracle runs.
'use strict';
const fs = require('fs');
const { execFileSync } = require('child_process');

const file = process.argv[2] || '/usr/share/doc/graphviz/html/info/attrs.html';
const html = fs.readFileSync(file, 'latin1');

// the attribute table is the one whose header row has "Used By"
const start = html.search(/<TABLE[^>]*>\s*<TR><TH>Name<\/TH><TH>(<A [^>]*>)?Used By/i);
if (start < 0) throw new Error(`${file}: no attribute table (Name, Used By) found`);
const table = html.slice(start, html.indexOf('</TABLE>', start));

const attrs = new Map();
for (const row of table.split(/<TR>/i).slice(2)) {
  const cells = row.split(/<\/TD>\s*<TD[^>]*>/i);
  const names = [...cells[0].matchAll(/NAME=aa?:(\w+)/g)].map(m => m[1]);
  const kinds = (cells[1] || '').trim();
  if (names.length === 0 || !/^[ENGSC]+$/.test(kinds)) {
    throw new Error(`${file}: cannot read table row: ${row.slice(0, 120)}`);
  }
  for (const name of names) {
    const all = new Set([...(attrs.get(name) || ''), ...kinds]);
    attrs.set(name, [...all].sort().join(''));
  }
}
if (attrs.size < 100) throw new Error(`${file}: only ${attrs.size} attributes found`);

let version = 'unknown version';
try {
  version = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'graphviz-doc'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch { /* not a Debian system, or graphviz-doc not installed */ }

const lines = [
  '# Graphviz attributes and the kinds of object that use them, one per line:',
  '# NAME KINDS, where KINDS has E edge, N node, G root graph, S subgraph,',
  '# C cluster. From the "Used By" column of attrs.html in Debian\'s',
  `# graphviz-doc ${version}; regenerate with tests/docs/gen-dot-attrs.js.`,
];
for (const name of [...attrs.keys()].sort()) lines.push(`${name} ${attrs.get(name)}`);
process.stdout.write(lines.join('\n') + '\n');
