// tokenize.js: the TextMate grammar grammar/editors/sf.tmLanguage.json against the language.
//
//   node tests/editors/tokenize.js FILE.sf... [--broken FILE.sf...]
//
// With vscode-textmate and vscode-oniguruma (tests/node_modules) it tokenizes each file
// as VS Code does and checks:
//   - the grammar is what grammar/editors/generate.js writes from the compiler's sources;
//   - every keyword of grammar/lexer.l, every phrase (`on s3`, `wait for callback`) and
//     every test word gets a keyword scope, and a key scope before ':';
//   - no line of the files stops the tokenizer (of the broken ones too, which are
//     checked for nothing else: what the lexer rejects, the grammar need not know);
//   - every token of the files, as a copy of the lexer's rules below finds them, has
//     the scope of its kind over all its characters (comments, strings, escapes,
//     interpolations, numbers, durations, paths, JSONata, keywords, keys, calls,
//     state names after their kind and the words that must not be keywords);
//   - the table EXPECT: chosen places by their text;
//   - grammar/editors/vscode is an extension of this grammar and the language's comments.
// Prints FAIL lines and ends with "tokenize: N passed, N failed", or
// "tokenize: skipped: WHY" when the packages are not installed.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
let vsctm, oniguruma;
try {
  const from = { paths: [path.join(root, 'tests')] };
  vsctm = require(require.resolve('vscode-textmate', from));
  oniguruma = require(require.resolve('vscode-oniguruma', from));
} catch (e) {
  console.log('tokenize: skipped: vscode-textmate or vscode-oniguruma missing (npm ci in tests/)');
  process.exit(0);
}
const generate = require(path.join(root, 'grammar', 'editors', 'generate.js'));

let passed = 0;
let failed = 0;
const pass = () => passed++;
const fail = (text) => { failed++; console.log(`FAIL ${text}`); };

// A scope selector as TextMate reads one: "a.b" matches "a.b" and "a.b.c".
const has = (scopes, want) => scopes.some((s) => s === want || s.startsWith(want + '.'));

// ------------------------------------------------------------------ the tokenizer
async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma',
    { paths: [path.join(root, 'tests')] })), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.sf') return null;
      const file = path.join(root, 'grammar', 'editors', 'sf.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.sf');
}

// The scopes of every character of TEXT (an array, one list per UTF-16 unit; a
// newline gets the scopes of the line's end), and the lines the tokenizer gave up on.
function scopesOf(grammar, text) {
  const lines = text.split('\n');
  const per = [];
  const stopped = [];
  let stack = vsctm.INITIAL;
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack, 5000);
    if (r.stoppedEarly) stopped.push(i + 1);
    const at = per.length;
    for (const t of r.tokens)
      for (let k = t.startIndex; k < Math.min(t.endIndex, line.length); k++) per[at + k] = t.scopes;
    const last = r.tokens[r.tokens.length - 1].scopes;
    for (let k = 0; k < line.length; k++) per[at + k] = per[at + k] || last;
    if (i + 1 < lines.length) per.push(last);
    stack = r.ruleStack;
  });
  return { per, stopped };
}

// ---------------------------------------------- the lexer's tokens, as lexer.l finds them
// A copy of grammar/lexer.l's rules (flex: the longest match, the first rule on a
// tie) and of parser.y's test words, as the oracle: what each token is.
const lexer = fs.readFileSync(path.join(root, 'grammar', 'lexer.l'), 'utf8');
const KEYWORDS = [...lexer.matchAll(/^"([a-z][a-z0-9-]*)"\s+\{ return TOK_/gm)].map((m) => m[1]);
const TEST_WORDS = generate.words().testWords;
const ID = '[A-Za-z_][A-Za-z0-9_]*';
const NAMECH = '(?:[A-Za-z0-9_]|[^\\x00-\\x7f])';
const DOTNAME = `(?:${NAMECH}|\\\\.)+(?:-(?:${NAMECH}|\\\\.)+)*`;
const QUOTED = `'(?:[^'\\\\\\n]|\\\\.)*'|"(?:[^"\\\\\\n]|\\\\.)*"`;
const INNER = `\\[(?:[^\\]\\['"\\n]|${QUOTED})*\\]`;
const BRACKET = `\\[(?:[^\\]\\['"\\n]|${QUOTED}|${INNER})*\\]`;
const PATH = `\\$\\$?${NAMECH}*(?:\\.\\.?(?:${DOTNAME}|\\*)?|${BRACKET})*`;
const WS = '[ \\t\\r\\n]';
const RULES = [
  ['space', `${WS}+`],
  ['comment-hash', '#[^\\n]*'],
  ['comment-slash', '//[^\\n]*'],
  ['comment-block', '/\\*[^]*?(?:\\*/|$)'],
  ['callback', `wait${WS}+for${WS}+callback`],
  ['trigger', `on${WS}+(?:s3|schedule|event|workflow|pattern)(?=[^A-Za-z0-9_])`],
  ['test', `test(?=${WS}*")`],
  ['schedule', '(?:rate|cron|at)\\([^)\\n]*\\)'],
  ...KEYWORDS.map((k) => ['keyword', k.replace(/-/g, '\\-')]),
  ['dotted', `${ID}(?:\\.(?:${ID}|[0-9]+))+`],
  ['ident', ID],
  ['duration', '[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h|d)'],
  ['number', '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?'],
  ['bad', '-?0[0-9]+|-?[0-9][A-Za-z0-9_.]*'],
  ['path', PATH],
  ['jsonata', '\\{%(?:[^%]|%+[^%}])*%+\\}'],
  ['op', '->|==|!=|<=|>=|[{}\\[\\](),:=<>%]'],
  ['string3', '"""'],
  ['string', '"'],
  ['bad', `'(?:[^'\\\\\\n]|\\\\.)*'`],
  ['dashed-key', `${ID}(?:-[A-Za-z0-9_]+)+(?=[ \\t]*:)`],
  ['bad', '[!&*+;?@\\\\^`|~.]+|.'],
].map(([kind, re]) => [kind, new RegExp(re, 'y')]);

// The rest of a string from its opening quote(s): [end, parts], where each part is
// [kind, start, end] for an escape, an interpolation or a literal `$${`.
function scanString(text, at, triple) {
  const parts = [];
  let i = at + (triple ? 3 : 1);
  while (i < text.length) {
    if (triple ? text.startsWith('"""', i) : text[i] === '"') return [i + (triple ? 3 : 1), parts];
    if (!triple && text[i] === '\n') return [i, parts];
    let m;
    if ((m = /\\(?:u[0-9A-Fa-f]{4}|["\\/bfnrt])/y) && (m.lastIndex = i, m = m.exec(text))) {
      parts.push(['escape', i, i + m[0].length]); i += m[0].length;
    } else if (text.startsWith('$${', i)) {
      parts.push(['escape', i, i + 3]); i += 3;
    } else if ((m = new RegExp(`\\$\\{${ID}\\}`, 'y')) && (m.lastIndex = i, m = m.exec(text))) {
      parts.push(['interpolation', i, i + m[0].length]); i += m[0].length;
    } else i++;
  }
  return [i, parts];
}

function lex(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    let best = null;
    for (const [kind, re] of RULES) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && m[0].length > 0 && (!best || m[0].length > best.len)) best = { kind, len: m[0].length };
    }
    let end = i + best.len;
    const t = { kind: best.kind, start: i, text: '' };
    if (t.kind === 'string' || t.kind === 'string3') [end, t.parts] = scanString(text, i, t.kind === 'string3');
    t.end = end;
    t.text = text.slice(i, end);
    if (t.kind !== 'space') tokens.push(t);
    i = end;
  }
  // parser.y's sfc_yylex: the test words directly inside `test "name" { }`
  let depth = 0, testDepth = 0, head = 0, prev = null;
  const code = tokens.filter((t) => !t.kind.startsWith('comment'));
  for (const t of code) {
    if (t.kind === 'ident' && testDepth && depth === testDepth) {
      const after = prev && (prev.kind === 'keyword' || prev.kind === 'op' || prev.kind === 'testword') ? prev.text : '';
      if (after === 'expect') { if (t.text === 'path' || t.text === 'passes') t.kind = 'testword'; }
      else if (!['mock', '->', 'through', 'path', 'workflow', 'lambda', 'activity', 'queue', 'topic', 'table',
        'bus', 'bucket', 'statemachine', 'role', 'event'].includes(after) && TEST_WORDS.includes(t.text)) t.kind = 'testword';
    }
    if (t.text === '{' && t.kind === 'op') depth++;
    if (t.text === '}' && t.kind === 'op' && depth > 0) depth--;
    if (t.kind === 'test') head = 1;
    else if (head === 1 && t.kind === 'string') head = 2;
    else if (head === 2 && t.text === '{') { head = 0; testDepth = depth; }
    else head = 0;
    if (depth < testDepth) testDepth = 0;
    prev = t;
  }
  code.forEach((t, k) => { t.prev = code[k - 1]; t.next = code[k + 1]; });
  return tokens;
}

// ------------------------------------------------ what each kind of token must be scoped
const { CHOSEN } = generate;
const keywordScope = (word) =>
  Object.keys(CHOSEN).find((scope) => CHOSEN[scope].includes(word)) || 'keyword.other.sf';
const CALLABLE = new Set([...generate.words().intrinsics, 'number', 'string', 'boolean', 'timestamp']);
const STATE_KINDS = ['task', 'pass', 'wait', 'choice', 'parallel', 'map', 'succeed', 'fail', 'branch'];
const KEYWORDISH = ['keyword', 'storage', 'constant.language'];
const sameLine = (text, a, b) => !text.slice(a.end, b.start).includes('\n');

// [start, end, scope wanted (or '!' and a scope that must not be there), what] for a token
function wants(t, text) {
  const all = (scope, what) => [[t.start, t.end, scope, what]];
  const keyNext = t.next && t.next.text === ':' && t.next.kind === 'op' && sameLine(text, t, t.next);
  const callNext = t.next && t.next.text === '(' && sameLine(text, t, t.next);
  switch (t.kind) {
  case 'comment-hash': return all('comment.line.number-sign.sf', 'a # comment');
  case 'comment-slash': return all('comment.line.double-slash.sf', 'a // comment');
  case 'comment-block': return all('comment.block.sf', 'a /* */ comment');
  case 'string': case 'string3': {
    const w = all(t.kind === 'string' ? 'string.quoted.double.sf' : 'string.quoted.triple.sf', 'a string');
    if (keyNext) w.push([t.start, t.end, 'support.type.property-name.sf', 'a quoted key']);
    for (const [kind, a, b] of t.parts)
      if (kind === 'escape') w.push([a, b, 'constant.character.escape.sf', 'an escape']);
      else w.push([a, b, 'meta.interpolation.sf', 'an interpolation'], [a + 2, b - 1, 'variable.other.interpolation.sf', 'an interpolated name']);
    return w;
  }
  case 'jsonata': return all('meta.embedded.jsonata.sf', 'a {% %} block');
  case 'path': return all(t.text.startsWith('$$') ? 'variable.other.context.sf'
    : /^\$[A-Za-z0-9_\x80-\uffff]/.test(t.text) ? 'variable.other.workflow.sf' : 'variable.other.jsonpath.sf', 'a path');
  case 'duration': return all('constant.numeric.duration.sf', 'a duration');
  case 'number': return all('constant.numeric.sf', 'a number');
  case 'schedule': return all('meta.schedule.sf', 'a schedule expression');
  case 'trigger': return all('keyword.control.trigger.sf', 'a trigger');
  case 'callback': return all('keyword.other.callback.sf', "'wait for callback'");
  case 'test': return all('storage.type.test.sf', "'test'");
  case 'testword': return all('keyword.other.test.sf', 'a test word');
  case 'dashed-key': return all('support.type.property-name.sf', 'a dashed key');
  case 'keyword':
    if (keyNext) return [...all('support.type.property-name.sf', 'a keyword as a key'), [t.start, t.end, '!keyword', 'a key']];
    if (callNext && CALLABLE.has(t.text)) return all('support.function.sf', 'a call');
    return all(keywordScope(t.text), 'a keyword');
  case 'ident': case 'dotted': {
    const w = KEYWORDISH.map((k) => [t.start, t.end, '!' + k, 'a name']);
    if (keyNext) w.push([t.start, t.end, 'support.type.property-name.sf', 'a key']);
    else if (callNext) w.push([t.start, t.end, 'support.function.sf', 'a call']);
    else if (t.kind === 'dotted') w.push([t.start, t.end, 'entity.name.type.dotted.sf', 'a dotted name']);
    else if (t.prev && sameLine(text, t.prev, t) && (STATE_KINDS.includes(t.prev.text) && t.prev.kind === 'keyword'
      || t.prev.text === '->' || ['mock', 'through', 'path'].includes(t.prev.text) && t.prev.kind === 'testword'))
      w.push([t.start, t.end, 'entity.name.function.state.sf', `a state name after '${t.prev.text}'`]);
    return w;
  }
  case 'op':
    return all({ '->': 'keyword.control.arrow.sf', ':': 'punctuation.separator.key-value.sf', ',': 'punctuation.separator.comma.sf',
      '=': 'keyword.operator.assignment.sf', '%': 'keyword.operator.percent.sf', '{': 'punctuation.section.braces.sf',
      '}': 'punctuation.section.braces.sf', '[': 'punctuation.section.brackets.sf', ']': 'punctuation.section.brackets.sf',
      '(': 'punctuation.section.parens.sf', ')': 'punctuation.section.parens.sf' }[t.text] || 'keyword.operator.comparison.sf', `'${t.text}'`);
  default: return [];
  }
}

function checkSpan(per, file, text, [a, b, want, what], tokenText) {
  for (let k = a; k < b; k++) {
    const s = per[k] || [];
    const ok = want.startsWith('!') ? !has(s, want.slice(1)) : has(s, want);
    if (!ok) {
      const line = text.slice(0, k).split('\n').length;
      const shown = tokenText.length > 40 ? tokenText.slice(0, 40) + '...' : tokenText;
      fail(`${file}:${line}: ${what} '${shown.replace(/\n/g, '\\n')}' at column ${k - text.lastIndexOf('\n', k - 1)}: ` +
        `${want.startsWith('!') ? 'has' : 'lacks'} ${want.replace('!', '')} (scopes: ${s.join(' ')})`);
      return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------ chosen places
// [file, a fragment of the line, the token in it (from the fragment on), scope].
const EXPECT = [
  ['tests/editors/lexical.sf', '# lexical.sf', '#', 'comment.line.number-sign.sf'],
  ['tests/editors/lexical.sf', '// a line comment', 'comment', 'comment.line.double-slash.sf'],
  ['tests/editors/lexical.sf', '/* A block', 'block', 'comment.block.sf'],
  ['tests/editors/lexical.sf', 'over two lines', 'lines', 'comment.block.sf'],
  ['tests/editors/lexical.sf', 'param env', 'param', 'storage.type.sf'],
  ['tests/editors/lexical.sf', 'param env', 'env', 'entity.name.variable.param.sf'],
  ['tests/editors/lexical.sf', 'lambda work', 'work', 'entity.name.variable.resource.sf'],
  ['tests/editors/lexical.sf', 'lambda work', '${env}', 'meta.interpolation.sf'],
  ['tests/editors/lexical.sf', 'lambda work', 'env', 'variable.other.interpolation.sf'],
  ['tests/editors/lexical.sf', 'workflow Lexical', 'Lexical', 'entity.name.type.workflow.sf'],
  ['tests/editors/lexical.sf', 'comment """', 'comment', 'keyword.other.sf'],
  ['tests/editors/lexical.sf', 'comment """', 'quotes', 'string.quoted.triple.sf'],
  ['tests/editors/lexical.sf', 'comment """', '\\t', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'a \\u00e9', '\\u00e9', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'a \\u00e9', 'env', 'variable.other.interpolation.sf'],
  ['tests/editors/lexical.sf', 'timeout 15m', '15m', 'constant.numeric.duration.sf'],
  ['tests/editors/lexical.sf', 'on schedule', 'on schedule', 'keyword.control.trigger.sf'],
  ['tests/editors/lexical.sf', 'on schedule', 'rate', 'support.function.schedule.sf'],
  ['tests/editors/lexical.sf', 'on schedule', '5 minutes', 'string.unquoted.schedule.sf'],
  ['tests/editors/lexical.sf', 'on schedule', 'source', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'on schedule', 'type', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'on schedule', 'type', '!keyword'],
  ['tests/editors/lexical.sf', 'on schedule', 'detail-type', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'pass Start', 'pass', 'keyword.control.sf'],
  ['tests/editors/lexical.sf', 'pass Start', 'Start', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'pass Start', 'quoted key', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '\\"', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '\\\\', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '\\/', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '$${', 'constant.character.escape.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '-1.5', 'constant.numeric.sf'],
  ['tests/editors/lexical.sf', 'pass Start', '2e3', 'constant.numeric.sf'],
  ['tests/editors/lexical.sf', 'all: $..id', '$..id', 'variable.other.jsonpath.sf'],
  ['tests/editors/lexical.sf', 'first: $.items', '$.items[0]', 'variable.other.jsonpath.sf'],
  ['tests/editors/lexical.sf', 'big: $.items', '@.n > 1', 'variable.other.jsonpath.sf'],
  ['tests/editors/lexical.sf', 'spaced:', "'a b'", 'variable.other.jsonpath.sf'],
  ['tests/editors/lexical.sf', 'exec: $$', '$$.Execution.Id', 'variable.other.context.sf'],
  ['tests/editors/lexical.sf', 'seen: $count', '$count', 'variable.other.workflow.sf'],
  ['tests/editors/lexical.sf', 'msg: format', 'format', 'support.function.sf'],
  ['tests/editors/lexical.sf', 'also: States', 'States.Format', 'support.function.sf'],
  ['tests/editors/lexical.sf', 'timeout 90s', '90s', 'constant.numeric.duration.sf'],
  ['tests/editors/lexical.sf', 'timeout 90s', 'Lambda.ServiceException', 'entity.name.type.dotted.sf'],
  ['tests/editors/lexical.sf', 'timeout 90s', '1.5m', 'constant.numeric.duration.sf'],
  ['tests/editors/lexical.sf', 'timeout 90s', 'retry', 'keyword.control.sf'],
  ['tests/editors/lexical.sf', 'catch States.ALL', '->', 'keyword.control.arrow.sf'],
  ['tests/editors/lexical.sf', 'catch States.ALL', 'Failed', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'wait Pause', '2000ms', 'constant.numeric.duration.sf'],
  ['tests/editors/lexical.sf', 'wait Pause', 'Pause', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'task Ask', 'wait for callback', 'keyword.other.callback.sf'],
  ['tests/editors/lexical.sf', 'when $.size', 'when', 'keyword.control.sf'],
  ['tests/editors/lexical.sf', 'when $.size', 'and', 'keyword.operator.logical.sf'],
  ['tests/editors/lexical.sf', 'when $.size', 'not', 'keyword.operator.logical.sf'],
  ['tests/editors/lexical.sf', 'when $.size', 'null', 'constant.language.sf'],
  ['tests/editors/lexical.sf', 'when $.size', '>', 'keyword.operator.comparison.sf'],
  ['tests/editors/lexical.sf', 'when $.at', 'timestamp', 'support.function.sf'],
  ['tests/editors/lexical.sf', 'when $.at', '2026-01-01T00:00:00Z', 'string.quoted.double.sf'],
  ['tests/editors/lexical.sf', 'otherwise', 'otherwise', 'keyword.control.sf'],
  ['tests/editors/lexical.sf', 'pass path', 'path', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'pass path', 'path', '!keyword'],
  ['tests/editors/lexical.sf', 'query jsonata', 'jsonata', 'keyword.other.sf'],
  ['tests/editors/lexical.sf', 'pass Score', '{%', 'punctuation.section.embedded.begin.jsonata.sf'],
  ['tests/editors/lexical.sf', 'pass Score', '$states', 'variable.language.jsonata'],
  ['tests/editors/lexical.sf', 'pass Score', '100', 'constant.numeric.jsonata'],
  ['tests/editors/lexical.sf', 'pass Score', '50%', 'string.quoted.double.jsonata'],
  ['tests/editors/lexical.sf', 'pass Score', "'done'", 'string.quoted.single.jsonata'],
  ['tests/editors/lexical.sf', 'pass Score', '&', 'keyword.operator.jsonata'],
  ['tests/editors/lexical.sf', 'and $exists', 'and', 'keyword.operator.logical.jsonata'],
  ['tests/editors/lexical.sf', 'and $exists', '$exists', 'support.function.jsonata'],
  ['tests/editors/lexical.sf', 'and $exists', '%}', 'punctuation.section.embedded.end.jsonata.sf'],
  ['tests/editors/lexical.sf', 'and $exists', 'Yes', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'pass No asl', '{%', 'meta.embedded.jsonata.sf'],
  ['tests/editors/lexical.sf', 'pass No asl', '$states', 'variable.language.jsonata'],
  ['tests/editors/lexical.sf', 'pass No asl', '$states', 'string.quoted.double.sf'],
  ['tests/editors/lexical.sf', 'pass No asl', 'in a string', '!meta.embedded.jsonata.sf'],
  ['tests/editors/lexical.sf', 'test "the test', 'test', 'storage.type.test.sf'],
  ['tests/editors/lexical.sf', 'test "the test', 'the test words', 'string.quoted.double.sf'],
  ['tests/editors/lexical.sf', 'input { name', 'input', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'input { name', 'times', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'input { name', 'mock', 'support.type.property-name.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'mock', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'Call', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'returns', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'times', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'then', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'mock Call', 'throws', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'mock topic', 'topic', 'storage.type.sf'],
  ['tests/editors/lexical.sf', 'expect path', 'path', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'expect Call', 'Call', 'entity.name.function.state.sf'],
  ['tests/editors/lexical.sf', 'expect Call', 'called', 'keyword.other.test.sf'],
  ['tests/editors/lexical.sf', 'expect error', 'error', 'keyword.other.sf'],
  ['examples/upload.sf', 'param env', '# deploy-time input', 'comment.line.number-sign.sf'],
  ['examples/upload.sf', 'event UploadProcessed {', 'UploadProcessed', 'entity.name.type.event.sf'],
  ['examples/upload.sf', 'detail-type "Upload', 'detail-type', 'keyword.other.sf'],
  ['examples/upload.sf', 'on s3 uploads', 'on s3', 'keyword.control.trigger.sf'],
  ['examples/upload.sf', 'on s3 uploads', 'prefix', 'keyword.other.sf'],
  ['examples/upload.sf', 'parallel ProcessFile', 'ProcessFile', 'entity.name.function.state.sf'],
  ['examples/upload.sf', 'parallel ProcessFile', '$.results', 'variable.other.jsonpath.sf'],
  ['examples/upload.sf', 'emit UploadProcessed', 'emit', 'keyword.control.sf'],
  ['examples/upload.sf', 'warmup: true', 'true', 'constant.language.sf'],
  ['examples/orders.sf', 'pass Again assign', '$attempts', 'variable.other.workflow.sf'],
  ['examples/orders.sf', 'pass Again assign', 'add', 'support.function.sf'],
  ['examples/orders.sf', 'lines: {%', '$count', 'support.function.jsonata'],
  ['examples/orders.sf', 'dedup $$', '$$.Execution.Name', 'variable.other.context.sf'],
  ['tests/compile/strings.sf', 'multi: """', '"""', 'string.quoted.triple.sf'],
  ['tests/compile/strings.sf', 'second "quoted" line', 'quoted', 'string.quoted.triple.sf'],
  ['tests/compile/interpolation.sf', 'literal: "$${env}"', '$${', 'constant.character.escape.sf'],
  ['tests/compile/interpolation.sf', 'function: "${worker}"', 'function', 'support.type.property-name.sf'],
  ['tests/compile/interpolation.sf', 'queue: "${jobs}"', 'queue', '!storage'],
];

function checkExpect(file, text, per, [, fragment, token, want]) {
  const lines = text.split('\n');
  const n = lines.findIndex((l) => l.includes(fragment));
  const col = n < 0 ? -1 : lines[n].indexOf(token, lines[n].indexOf(fragment));
  if (col < 0) return fail(`${file}: no line with '${fragment}' and '${token}' after it`);
  const at = lines.slice(0, n).join('\n').length + (n ? 1 : 0) + col;
  if (checkSpan(per, file, text, [at, at + token.length, want, `'${fragment}':`], token)) pass();
}

// ------------------------------------------------------------------ main
(async () => {
  const grammar = await loadGrammar();
  const committed = fs.readFileSync(path.join(root, 'grammar', 'editors', 'sf.tmLanguage.json'), 'utf8');
  if (committed === generate.text()) pass();
  else fail('grammar/editors/sf.tmLanguage.json is not what grammar/editors/generate.js writes: run node grammar/editors/generate.js');

  // grammar/editors/vscode: an extension folder VS Code can load, with this grammar
  const ext = path.join(root, 'grammar', 'editors', 'vscode');
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    const [lang] = pkg.contributes.languages;
    const [gram] = pkg.contributes.grammars;
    const config = JSON.parse(fs.readFileSync(path.join(ext, lang.configuration), 'utf8'));
    const checks = [
      [lang.id === 'sf' && lang.extensions.includes('.sf'), 'the language is sf, for .sf files'],
      [gram.language === 'sf' && gram.scopeName === 'source.sf', 'the grammar is source.sf for sf'],
      [fs.readFileSync(path.join(ext, gram.path), 'utf8') === committed, `${gram.path} is grammar/editors/sf.tmLanguage.json`],
      [config.comments.lineComment === '#' && config.comments.blockComment.join(' ') === '/* */',
        'the comments are # and /* */'],
    ];
    for (const [ok, what] of checks) if (ok) pass(); else fail(`grammar/editors/vscode: ${what}`);
  } catch (e) {
    fail(`grammar/editors/vscode: ${e.message}`);
  }

  // every keyword of lexer.l, alone, as a key and as a test word in a test
  const scope = (line, at, len) => scopesOf(grammar, line).per.slice(at, at + len);
  for (const k of KEYWORDS) {
    const w = k.includes(' ') ? null : keywordScope(k);
    if (!w) continue;
    const alone = scope(`  ${k} x2`, 2, k.length); // ("x2": a name no rule takes as a state's)
    if (alone.every((s) => has(s, w))) pass(); else fail(`keyword '${k}' is not ${w}: ${alone[0].join(' ')}`);
    const key = scope(`{ ${k}: 1 }`, 2, k.length);
    if (key.every((s) => has(s, 'support.type.property-name.sf') && !has(s, 'keyword') && !has(s, 'storage')))
      pass(); else fail(`keyword '${k}' as a key: ${key[0].join(' ')}`);
  }
  const phrases = [...lexer.matchAll(/^"on"\{WS\}\+"([a-z0-9]+)"/gm)].map((m) => `on ${m[1]}`);
  for (const p of [...phrases, 'wait for callback']) {
    const s = scope(`  ${p} x`, 2, p.length);
    const w = p.startsWith('on') ? 'keyword.control.trigger.sf' : 'keyword.other.callback.sf';
    if (s.every((x) => has(x, w))) pass(); else fail(`'${p}' is not ${w}: ${s[0].join(' ')}`);
  }
  for (const t of TEST_WORDS) {
    const inside = scopesOf(grammar, `test "t" {\n  ${t} 1\n}`).per.slice(13, 13 + t.length);
    const outside = scope(`  ${t} 1`, 2, t.length);
    if (inside.every((s) => has(s, 'keyword.other.test.sf'))) pass(); else fail(`test word '${t}' in a test: ${inside[0].join(' ')}`);
    if (outside.every((s) => !has(s, 'keyword'))) pass(); else fail(`test word '${t}' outside a test: ${outside[0].join(' ')}`);
  }

  // FILE... [--broken FILE...]: the broken files (tests/errors) are only tokenized
  const args = process.argv.slice(2);
  const cut = args.includes('--broken') ? args.indexOf('--broken') : args.length;
  const files = args.slice(0, cut);
  for (const file of args.slice(cut + 1)) {
    const { stopped } = scopesOf(grammar, fs.readFileSync(path.join(root, file), 'utf8'));
    if (stopped.length) fail(`${file}: the tokenizer stopped on line ${stopped.join(', ')}`); else pass();
  }
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const { per, stopped } = scopesOf(grammar, text);
    if (stopped.length) fail(`${file}: the tokenizer stopped on line ${stopped.join(', ')}`); else pass();
    for (const t of lex(text))
      if (wants(t, text).every((w) => checkSpan(per, file, text, w, t.text))) pass();
    for (const e of EXPECT) if (e[0] === file) checkExpect(file, text, per, e);
  }
  const listed = new Set(files);
  for (const e of EXPECT) if (!listed.has(e[0])) fail(`EXPECT names ${e[0]}, which was not tokenized`);
  console.log(`tokenize: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`FAIL ${e.stack}`); console.log(`tokenize: ${passed} passed, ${failed + 1} failed`); process.exit(1); });
