#!/usr/bin/env node
// Parses Mermaid diagrams with the Mermaid library itself (tests/package.json
// pins it, and jsdom for the DOM it sanitizes labels with): every .mmd file,
// and every ```mermaid fenced block of every .md file. `mermaid.parse` is
// what the renderers run first; it throws on a syntax error.
//
//   node tests/docs/mermaid-parse.mjs FILE...
//
// Prints FILE:LINE: MESSAGE per diagram that does not parse (for a block in
// a .md file, LINE is a line of the .md file) and last "mermaid: N passed,
// N failed", counting files with a diagram; exits 1 if one failed.
import { readFileSync } from 'node:fs';
import mermaid from './mermaid-dom.mjs';

// The ```mermaid (or ~~~mermaid) fenced blocks of a Markdown text, as
// CommonMark reads fences: {line: first line of the block, text}.
function mermaidBlocks(md) {
  const lines = md.split(/\r\n?|\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[j].replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    if (info === 'mermaid') blocks.push({ line: i + 2, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

// Mermaid removes parts of a diagram before its parser sees it (mermaid
// 11.17.2, preprocessDiagram and the flowchart parser's wrapper), and its
// error line numbers count lines of what is left. keptLines repeats those
// removals on the text and returns the original line number of each line
// that is left, so that errors can be reported at the line written.
const REMOVED = [
  /^([^\S\n]*)-{3}\s*\n(.*?)\n\1-{3}\s*\n+/s, // front matter
  /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\n)*))?\s*(?:}%{2})?/gi, // %%{directives}%%
  /^\s*%%(?!{)[^\n]+\n?/gm, // %% comment lines
  /^\s+/, // leading white space
];
function keptLines(text, flowchart) {
  let s = text.replace(/\r\n?/g, '\n');
  let origin = []; // the original line of each character of s
  for (let i = 0, line = 1; i < s.length; i++) { origin.push(line); if (s[i] === '\n') line++; }
  const remove = re => { // drop what re matches (each match, if re is global)
    let out = '', kept = [], last = 0;
    for (const m of s.matchAll(new RegExp(re.source, re.flags.replace('g', '') + 'g'))) {
      out += s.slice(last, m.index);
      kept = kept.concat(origin.slice(last, m.index));
      last = m.index + m[0].length;
      if (!re.global) break;
    }
    s = out + s.slice(last);
    origin = kept.concat(origin.slice(last));
  };
  REMOVED.forEach(remove);
  if (flowchart) remove(/(?<=})\s*(?=\n)/g); // its parser reads "}\s*\n" as "}\n"
  const starts = [0];
  for (let i = 0; i < s.length; i++) if (s[i] === '\n') starts.push(i + 1);
  return starts.map(i => origin[Math.min(i, origin.length - 1)] ?? 1);
}

// The line (in the text given to mermaid) and message of a parse error.
function where(err) {
  const loc = err.hash?.loc;
  const m = /on line (\d+)/.exec(err.message);
  const line = loc?.first_line ?? (m ? Number(m[1]) : undefined);
  // jison's message: "Parse error on line N:", the text before the error,
  // a caret line under its end, then what was expected; keep the first and last
  const lines = String(err.message ?? err).split('\n');
  const caret = lines.findIndex(l => /^-*\^$/.test(l));
  if (caret > 0) lines.splice(caret - 1, 2);
  let message = lines.join(' ').replace(/^(Parse|Lexical) error on line \d+[.:]?\s*/, '$1 error: ');
  message = message.replace(/\s+/g, ' ').trim();
  if (message.length > 400) message = message.slice(0, 400) + '...';
  return { line, message };
}

async function check(file, startLine, text) {
  try {
    await mermaid.parse(text);
    return null;
  } catch (err) {
    const { line, message } = where(err);
    let type = '';
    try { type = mermaid.detectType(text); } catch { /* no diagram type */ }
    const kept = keptLines(text, type.startsWith('flowchart'));
    const at = line === undefined ? 1 : kept[Math.min(line, kept.length) - 1];
    return `${file}:${startLine + at - 1}: ${message}`;
  }
}

let passed = 0, failed = 0;
for (const file of process.argv.slice(2)) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.log(`${file}: ${err.message}`);
    failed++;
    continue;
  }
  const diagrams = file.endsWith('.md') ? mermaidBlocks(text) : [{ line: 1, text }];
  if (diagrams.length === 0) continue;
  const problems = [];
  for (const d of diagrams) {
    const problem = await check(file, d.line, d.text);
    if (problem) problems.push(problem);
  }
  problems.forEach(p => console.log(p));
  if (problems.length) failed++; else passed++;
}
console.log(`mermaid: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
