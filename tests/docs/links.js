#!/usr/bin/env node
// Checks the relative links of Markdown files: [x](W.md), [x](W.md#anchor),
// [x](#anchor), ![x](F), [ref]: W.md#anchor and <a href="...">. The file must
// exist (relative to the linking file), and an anchor must be one that GitHub
// gives a heading of the target file, or an explicit <a id="..."> or
// <a name="..."> there. Links with a scheme (https:, mailto:) or an absolute
// path are not checked, nor links inside code.
//
//   node tests/docs/links.js FILE.md...
//
// GitHub's anchor of a heading (as github-slugger 2.0.0 computes it; this
// code agrees with it on every Unicode code point but those that Node's newer
// Unicode tables call letters): the heading's text, lowercased, without every
// character that is not a letter, mark, digit, connector (_), '-' or space,
// with each space then a '-'; a repeated anchor gets -1, -2, ... appended.
// The heading's text is what it renders as: the text of links and code
// spans, no emphasis markers or HTML tags. ATX headings (# ...) only.
// Prints FILE:LINE: MESSAGE per broken link and last "links: N passed,
// N failed" (files); exits 1 if one failed.
'use strict';
const fs = require('fs');
const path = require('path');

// The lines of a Markdown text outside fenced code blocks: [{n, text}].
function proseLines(md) {
  const out = [];
  let fence = null;
  md.split(/\r\n?|\n/).forEach((text, i) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && /^\s*$/.test(text.slice(f[0].length))) fence = null;
    } else if (f && !(f[1][0] === '`' && text.slice(f.index + f[0].length).includes('`'))) {
      fence = f[1];
    } else {
      out.push({ n: i + 1, text });
    }
  });
  return out;
}

// A line without its code spans and backslash escapes (\[x\](y) is no link);
// an escaped bracket, parenthesis or backtick becomes a space.
const prose = s => s
  .replace(/\\`/g, ' ')
  .replace(/(`+)(.+?)\1/g, '')
  .replace(/\\([!-\/:-@[-`{-~])/g, (m, c) => ('[]()<>'.includes(c) ? ' ' : c));

function headingText(s) {
  return s
    .replace(/(`+)\s?(.+?)\s?\1/g, '$2')         // code spans: their text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')   // links and images: their text
    .replace(/<[^>]+>/g, '')                     // HTML tags
    .replace(/\\(.)/g, '$1')                     // backslash escapes
    .replace(/(\*+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}]))/gu, '') // emphasis
    .trim();
}

const slugOf = text => text.toLowerCase()
  .replace(/[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc} -]/gu, '')
  .replace(/ /g, '-');

const anchorCache = new Map();
// The anchors of a Markdown file: headings' and explicit ones.
function anchors(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const found = new Set();
  const count = new Map();
  for (const { text } of proseLines(fs.readFileSync(file, 'utf8'))) {
    const h = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(text);
    if (h) {
      const base = slugOf(headingText(h[1] || ''));
      let slug = base;
      while (found.has(slug)) {
        count.set(base, (count.get(base) || 0) + 1);
        slug = `${base}-${count.get(base)}`;
      }
      found.add(slug);
    }
    for (const a of prose(text).matchAll(/<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']*)["']/gi)) found.add(a[1]);
  }
  anchorCache.set(file, found);
  return found;
}

// The link targets on a line: [{target}] from [x](t), ![x](t), [r]: t, href="t".
function targets(text) {
  const s = prose(text);
  const out = [];
  for (const m of s.matchAll(/\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)/g)) out.push(m[1].replace(/^<(.*)>$/, '$1'));
  const def = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(s);
  if (def) out.push(def[1].replace(/^<(.*)>$/, '$1'));
  for (const m of s.matchAll(/<a\s[^>]*?\bhref\s*=\s*["']([^"']*)["']/gi)) out.push(m[1]);
  return out;
}

const decode = s => { try { return decodeURIComponent(s); } catch { return s; } };

function check(file) {
  const problems = [];
  for (const { n, text } of proseLines(fs.readFileSync(file, 'utf8'))) {
    for (const target of targets(text)) {
      if (target === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) || target.startsWith('/')) continue;
      const hash = target.indexOf('#');
      const rel = decode(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? null : decode(target.slice(hash + 1));
      const dest = rel === '' ? file : path.join(path.dirname(file), rel);
      if (!fs.existsSync(dest)) {
        problems.push(`${file}:${n}: link ${target}: no file ${dest}`);
      } else if (anchor !== null) {
        if (!/\.(md|markdown)$/i.test(dest)) {
          problems.push(`${file}:${n}: link ${target}: an anchor in a file that is not Markdown`);
        } else if (!anchors(dest).has(anchor)) {
          problems.push(`${file}:${n}: link ${target}: no heading or <a id> with anchor #${anchor} in ${dest}`);
        }
      }
    }
  }
  return problems;
}

let passed = 0, failed = 0;
for (const file of process.argv.slice(2)) {
  let problems;
  try {
    problems = check(file);
  } catch (err) {
    problems = [`${file}: ${err.message}`];
  }
  problems.forEach(p => console.log(p));
  if (problems.length) failed++; else passed++;
}
console.log(`links: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
