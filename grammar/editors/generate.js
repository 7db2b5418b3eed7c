#!/usr/bin/env node
// generate.js: writes grammar/editors/sf.tmLanguage.json, the TextMate grammar of .sf files.
//
//   node grammar/editors/generate.js            rewrite grammar/editors/sf.tmLanguage.json
//   require('./generate.js').grammar()  the grammar as an object (the tests compare)
//
// The words come from the compiler's own sources, so the grammar cannot drift from
// them: the keywords from grammar/lexer.l's keyword rules, the trigger and callback
// phrases from its multi-word rules, the test-block words from grammar/parser.y's
// test_words table, and the intrinsic names from compiler/asl_rules.c. What is chosen
// here by hand is only which scope a word gets; a keyword no list names gets
// keyword.other.sf.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');

function all(text, re) {
  return [...text.matchAll(re)].map((m) => m[1]);
}

// The facts read from the sources.
function words() {
  const lexer = read('grammar/lexer.l');
  const parser = read('grammar/parser.y');
  const table = /test_words\[\] = \{([^;]*)\};/.exec(parser);
  if (!table) throw new Error('grammar/parser.y: no test_words table');
  const rules = /static const struct intrinsic intrinsics\[\] = \{([^;]*)\};/.exec(read('compiler/asl_rules.c'));
  if (!rules) throw new Error('compiler/asl_rules.c: no intrinsics table');
  const w = {
    keywords: all(lexer, /^"([a-z][a-z0-9-]*)"\s+\{ return TOK_/gm),
    triggers: all(lexer, /^"on"\{WS\}\+"([a-z0-9]+)"/gm),
    callback: /^"wait"\{WS\}\+"for"\{WS\}\+"callback"/m.test(lexer),
    test: /^"test"\/\{WS\}\*\\"/m.test(lexer),
    testWords: all(table[1], /\{"([a-z]+)", TOK_/g),
    intrinsics: all(rules[1], /\{"([a-z0-9_]+)", "/g),
  };
  for (const [k, v] of Object.entries(w))
    if (!v || v.length === 0) throw new Error(`could not read the ${k} from the sources`);
  return w;
}

// The scope of each keyword that is not keyword.other.sf.
const CHOSEN = {
  'keyword.control.sf': ['task', 'pass', 'wait', 'choice', 'parallel', 'map', 'succeed', 'fail',
    'emit', 'branch', 'when', 'otherwise', 'end', 'retry', 'catch'],
  'storage.type.sf': ['workflow', 'lambda', 'activity', 'queue', 'topic', 'table', 'bus', 'bucket',
    'statemachine', 'role', 'param', 'event', 'aws'],
  'constant.language.sf': ['true', 'false', 'null'],
  'keyword.operator.logical.sf': ['and', 'or', 'not'],
};
// State kinds whose next word is the state's name (emit's is its event, unless `=`).
const STATE_KINDS = ['task', 'pass', 'wait', 'choice', 'parallel', 'map', 'succeed', 'fail', 'branch'];
// Resource kinds: `KIND NAME = "..."` declares one.
const RESOURCE_KINDS = ['lambda', 'activity', 'queue', 'topic', 'table', 'bus', 'bucket', 'statemachine', 'role'];
// Keywords that are also functions: the choice rules' casts, `number($.b)`.
const CASTS = ['number', 'string', 'boolean', 'timestamp'];

// Pieces of regular expressions (Oniguruma), as lexer.l defines them.
const ID = '[A-Za-z_][A-Za-z0-9_]*';
const NAMECH = '(?:[A-Za-z0-9_]|[^\\x{00}-\\x{7F}])';
const DOTNAME = `(?:${NAMECH}|\\\\.)+(?:-(?:${NAMECH}|\\\\.)+)*`;
const QUOTED = `'(?:[^'\\\\\\n]|\\\\.)*'|"(?:[^"\\\\\\n]|\\\\.)*"`;
const INNER = `\\[(?:[^\\]\\['"\\n]|${QUOTED})*\\]`;
const BRACKET = `\\[(?:[^\\]\\['"\\n]|${QUOTED}|${INNER})*\\]`;
const SEGMENTS = `(?:\\.\\.?(?:${DOTNAME}|\\*)?|${BRACKET})*`;
// A word starts here: not inside a name, a dotted name, a path or a dashed key.
const START = '(?<![A-Za-z0-9_$.-])';
const STOP = '(?![A-Za-z0-9_])(?![-.][A-Za-z0-9_])';

const alt = (list) => [...list].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|');
const wordsRe = (list) => `${START}(?:${alt(list)})${STOP}`;

function check(w) {
  const known = new Set(w.keywords);
  for (const [scope, list] of Object.entries(CHOSEN))
    for (const word of list) if (!known.has(word)) throw new Error(`${scope}: '${word}' is no keyword of grammar/lexer.l`);
  for (const word of [...STATE_KINDS, ...RESOURCE_KINDS, ...CASTS])
    if (!known.has(word)) throw new Error(`'${word}' is no keyword of grammar/lexer.l`);
}

function grammar() {
  const w = words();
  check(w);
  const chosen = new Set(Object.values(CHOSEN).flat());
  const other = w.keywords.filter((k) => !chosen.has(k));
  const notKeyword = `(?!(?:${alt(w.keywords)})${STOP})`;
  const callable = new Set([...w.intrinsics, ...CASTS]);
  const notCallable = w.keywords.filter((k) => !callable.has(k));

  const escapes = [
    { name: 'constant.character.escape.sf', match: '\\\\(?:["\\\\/bfnrt]|u[0-9A-Fa-f]{4})' },
    { name: 'invalid.illegal.escape.sf', match: '\\\\.?' },
    { name: 'constant.character.escape.sf', match: '\\$\\$\\{' },
    {
      name: 'meta.interpolation.sf',
      match: `(\\$\\{)(${ID})(\\})`,
      captures: {
        1: { name: 'punctuation.definition.interpolation.begin.sf' },
        2: { name: 'variable.other.interpolation.sf' },
        3: { name: 'punctuation.definition.interpolation.end.sf' },
      },
    },
  ];
  const stringBody = [{ include: '#string-escapes' }, { include: '#string-jsonata' }];

  const repository = {
    comments: {
      patterns: [
        {
          name: 'comment.line.number-sign.sf',
          match: '(#).*$',
          captures: { 1: { name: 'punctuation.definition.comment.sf' } },
        },
        {
          name: 'comment.line.double-slash.sf',
          match: '(//).*$',
          captures: { 1: { name: 'punctuation.definition.comment.sf' } },
        },
        {
          name: 'comment.block.sf',
          begin: '/\\*',
          end: '\\*/',
          captures: { 0: { name: 'punctuation.definition.comment.sf' } },
        },
      ],
    },
    'string-escapes': { patterns: escapes },
    // A {% %} inside a string is JSONata too (an `asl { }` block's "{% ... %}").
    'string-jsonata': {
      name: 'meta.embedded.jsonata.sf',
      contentName: 'source.jsonata',
      begin: '\\{%',
      end: '%\\}|(?=")',
      beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.jsonata.sf' } },
      endCaptures: { 0: { name: 'punctuation.section.embedded.end.jsonata.sf' } },
      patterns: [{ include: '#string-escapes' }, { include: '#jsonata-names' }],
    },
    strings: {
      patterns: [
        {
          name: 'string.quoted.triple.sf',
          begin: '"""',
          end: '"""',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.sf' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.sf' } },
          patterns: stringBody,
        },
        {
          // a quoted key: { "static": 1 }
          name: 'string.quoted.double.sf support.type.property-name.sf',
          begin: `"(?=(?:[^"\\\\\\n]|\\\\.)*"\\s*:)`,
          end: '"|$',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.sf' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.sf' } },
          patterns: [{ include: '#string-escapes' }],
        },
        {
          name: 'string.quoted.double.sf',
          begin: '"',
          end: '"|$',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.sf' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.sf' } },
          patterns: stringBody,
        },
        {
          // 'text' is an error (use double quotes) that the compiler reads as a string
          name: 'string.quoted.single.sf invalid.illegal.single-quote.sf',
          match: "'(?:[^'\\\\\\n]|\\\\.)*'",
        },
      ],
    },
    jsonata: {
      name: 'meta.embedded.jsonata.sf',
      contentName: 'source.jsonata',
      begin: '\\{%',
      end: '%\\}',
      beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.jsonata.sf' } },
      endCaptures: { 0: { name: 'punctuation.section.embedded.end.jsonata.sf' } },
      patterns: [{ include: '#jsonata-expression' }],
    },
    // JSONata ends at the first %} wherever it is, as in the lexer: no inner rule
    // may run past one.
    'jsonata-expression': {
      patterns: [
        { name: 'comment.block.jsonata', begin: '/\\*', end: '\\*/|(?=%\\})' },
        {
          name: 'string.quoted.double.jsonata',
          begin: '"',
          end: '"|(?=%\\})',
          patterns: [{ name: 'constant.character.escape.jsonata', match: '\\\\.' }],
        },
        {
          name: 'string.quoted.single.jsonata',
          begin: "'",
          end: "'|(?=%\\})",
          patterns: [{ name: 'constant.character.escape.jsonata', match: '\\\\.' }],
        },
        { name: 'variable.other.field.jsonata', match: '`[^`]*`' },
        { name: 'constant.numeric.jsonata', match: '(?<![A-Za-z0-9_$])[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?' },
        { include: '#jsonata-names' },
        { name: 'storage.type.function.jsonata', match: '(?<![A-Za-z0-9_$])(?:function|λ)(?![A-Za-z0-9_])' },
        { name: 'keyword.operator.logical.jsonata', match: '(?<![A-Za-z0-9_$])(?:and|or|in)(?![A-Za-z0-9_])' },
        { name: 'constant.language.jsonata', match: '(?<![A-Za-z0-9_$])(?:true|false|null)(?![A-Za-z0-9_])' },
        { name: 'keyword.operator.jsonata', match: ':=|~>|!=|<=|>=|\\.\\.|[-+*/%&=<>?:!@#^]' },
      ],
    },
    'jsonata-names': {
      patterns: [
        { name: 'support.function.jsonata', match: '\\$[A-Za-z0-9_]+(?=\\s*\\()' },
        { name: 'variable.language.jsonata', match: '\\$states(?![A-Za-z0-9_])|\\$\\$|\\$(?![A-Za-z0-9_])' },
        { name: 'variable.other.jsonata', match: '\\$[A-Za-z0-9_]+' },
      ],
    },
    paths: {
      patterns: [
        { name: 'variable.other.context.sf', match: `\\$\\$${NAMECH}*${SEGMENTS}` },
        { name: 'variable.other.workflow.sf', match: `\\$${NAMECH}+${SEGMENTS}` },
        { name: 'variable.other.jsonpath.sf', match: `\\$${SEGMENTS}` },
      ],
    },
    numbers: {
      patterns: [
        {
          name: 'constant.numeric.duration.sf',
          match: `(?<![A-Za-z0-9_.$-])[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h|d)(?![A-Za-z0-9_.])`,
        },
        {
          name: 'constant.numeric.sf',
          match: `(?<![A-Za-z0-9_.$])-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z0-9_.])`,
        },
        // a number the compiler rejects (leading 0, a bad unit)
        { name: 'invalid.illegal.number.sf', match: `(?<![A-Za-z0-9_.$])-?[0-9][A-Za-z0-9_.]*` },
      ],
    },
    // `KEY:` in an object: any word, keywords included, and a dashed key.
    keys: {
      name: 'support.type.property-name.sf',
      match: `${START}${ID}(?:-[A-Za-z0-9_]+)*(?=\\s*:)`,
    },
    schedule: {
      name: 'meta.schedule.sf',
      match: `${START}(rate|cron|at)(\\()([^)\\n]*)(\\))`,
      captures: {
        1: { name: 'support.function.schedule.sf' },
        2: { name: 'punctuation.definition.arguments.begin.sf' },
        3: { name: 'string.unquoted.schedule.sf' },
        4: { name: 'punctuation.definition.arguments.end.sf' },
      },
    },
    phrases: {
      patterns: [
        ...(w.callback ? [{ name: 'keyword.other.callback.sf', match: `${START}wait\\s+for\\s+callback${STOP}` }] : []),
        { name: 'keyword.control.trigger.sf', match: `${START}on\\s+(?:${alt(w.triggers)})${STOP}` },
      ],
    },
    declarations: {
      patterns: [
        {
          match: `^\\s*(workflow)\\s+(${ID})(?=\\s*\\{)`,
          captures: { 1: { name: 'storage.type.sf' }, 2: { name: 'entity.name.type.workflow.sf' } },
        },
        {
          match: `^\\s*(event)\\s+(${ID})(?=\\s*\\{)`,
          captures: { 1: { name: 'storage.type.sf' }, 2: { name: 'entity.name.type.event.sf' } },
        },
        {
          match: `^\\s*(${alt(RESOURCE_KINDS)})\\s+(${ID})(?=\\s*=)`,
          captures: { 1: { name: 'storage.type.sf' }, 2: { name: 'entity.name.variable.resource.sf' } },
        },
        {
          match: `^\\s*(param)\\s+(${ID})${STOP}`,
          captures: { 1: { name: 'storage.type.sf' }, 2: { name: 'entity.name.variable.param.sf' } },
        },
      ],
    },
    states: {
      patterns: [
        {
          match: `${START}(${alt(STATE_KINDS)})\\s+${notKeyword}(${ID})${STOP}`,
          captures: { 1: { name: 'keyword.control.sf' }, 2: { name: 'entity.name.function.state.sf' } },
        },
        {
          match: `${START}(emit)\\s+${notKeyword}(${ID})(?=\\s*=(?!=))`,
          captures: { 1: { name: 'keyword.control.sf' }, 2: { name: 'entity.name.function.state.sf' } },
        },
        {
          match: `(->)\\s*${notKeyword}(${ID})${STOP}`,
          captures: { 1: { name: 'keyword.control.arrow.sf' }, 2: { name: 'entity.name.function.state.sf' } },
        },
      ],
    },
    // format(...), States.Format(...), number($.b): a call. Keywords that are no
    // function (`not (`, `when (`) stay keywords.
    calls: {
      name: 'support.function.sf',
      match: `${START}(?!(?:${alt(notCallable)})${STOP})${ID}(?:\\.${ID})*(?=\\s*\\()`,
    },
    dotted: {
      name: 'entity.name.type.dotted.sf',
      match: `${START}${ID}(?:\\.(?:${ID}|[0-9]+))+${STOP}`,
    },
    keywords: {
      patterns: [
        ...Object.entries(CHOSEN).map(([name, list]) => ({ name, match: wordsRe(list) })),
        { name: 'keyword.other.sf', match: wordsRe(other) },
      ],
    },
    operators: {
      patterns: [
        { name: 'keyword.control.arrow.sf', match: '->' },
        { name: 'keyword.operator.comparison.sf', match: '==|!=|<=|>=|<|>' },
        { name: 'keyword.operator.assignment.sf', match: '=' },
        { name: 'keyword.operator.percent.sf', match: '%' },
        { name: 'punctuation.separator.key-value.sf', match: ':' },
        { name: 'punctuation.separator.comma.sf', match: ',' },
        { name: 'punctuation.section.braces.sf', match: '[{}]' },
        { name: 'punctuation.section.brackets.sf', match: '[\\[\\]]' },
        { name: 'punctuation.section.parens.sf', match: '[()]' },
      ],
    },
    // What every place holds; the order decides between rules that match at the
    // same column (the first wins).
    code: {
      patterns: [
        { include: '#comments' },
        { include: '#jsonata' },
        { include: '#strings' },
        { include: '#paths' },
        { include: '#numbers' },
        { include: '#keys' },
        { include: '#schedule' },
        { include: '#phrases' },
        { include: '#states' },
        { include: '#calls' },
        { include: '#dotted' },
        { include: '#keywords' },
        { include: '#operators' },
      ],
    },
    // `test "name" { ... }`: the test words are keywords directly inside the braces.
    test: {
      name: 'meta.test.sf',
      begin: `${START}(test)(?=\\s*")`,
      end: '(?<=\\})',
      beginCaptures: { 1: { name: 'storage.type.test.sf' } },
      patterns: [
        { include: '#comments' },
        { include: '#strings' },
        {
          name: 'meta.test.body.sf',
          begin: '\\{',
          end: '\\}',
          beginCaptures: { 0: { name: 'punctuation.section.braces.sf' } },
          endCaptures: { 0: { name: 'punctuation.section.braces.sf' } },
          patterns: [{ include: '#test-body' }],
        },
      ],
    },
    'test-body': {
      patterns: [
        { include: '#comments' },
        { include: '#jsonata' },
        { include: '#strings' },
        { include: '#value' },
        { include: '#keys' },
        // after mock, through and path (and ->) a word is a state's name; after
        // expect only `path` and `passes` are test words
        {
          match: `${START}(mock|through|path)\\s+${notKeyword}(${ID})${STOP}`,
          captures: { 1: { name: 'keyword.other.test.sf' }, 2: { name: 'entity.name.function.state.sf' } },
        },
        {
          match: `${START}expect(?=\\s+(?:path|passes)${STOP})`,
          name: 'keyword.other.test.sf',
        },
        {
          match: `${START}(expect)\\s+${notKeyword}(${ID})${STOP}`,
          captures: { 1: { name: 'keyword.other.test.sf' }, 2: { name: 'entity.name.function.state.sf' } },
        },
        {
          match: `${START}(workflow|event|${alt(RESOURCE_KINDS)})\\s+${notKeyword}(${ID})${STOP}`,
          captures: { 1: { name: 'storage.type.sf' }, 2: { name: 'entity.name.variable.sf' } },
        },
        { name: 'keyword.other.test.sf', match: wordsRe(w.testWords) },
        { include: '#code' },
      ],
    },
    // { ... } inside a test block: data, where test words are plain words.
    value: {
      begin: '\\{(?!%)',
      end: '\\}',
      beginCaptures: { 0: { name: 'punctuation.section.braces.sf' } },
      endCaptures: { 0: { name: 'punctuation.section.braces.sf' } },
      patterns: [{ include: '#comments' }, { include: '#jsonata' }, { include: '#strings' }, { include: '#value' },
        { include: '#code' }],
    },
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'sf',
    scopeName: 'source.sf',
    fileTypes: ['sf'],
    comment: 'Generated by grammar/editors/generate.js from grammar/lexer.l, grammar/parser.y and compiler/asl_rules.c: do not edit.',
    patterns: [{ include: '#test' }, { include: '#declarations' }, { include: '#code' }],
    repository,
  };
}

const text = () => JSON.stringify(grammar(), null, 2) + '\n';

module.exports = { grammar, text, words, CHOSEN };

if (require.main === module) fs.writeFileSync(path.join(__dirname, 'sf.tmLanguage.json'), text());
