#!/usr/bin/env node
// Test oracle: validate Amazon States Language (ASL) JSON files with two
// independent validators, in one node process.
//
//   node tests/oracles/validate-asl.js [FILE.asl.json...] [--no-statelint FILE.asl.json...]
//
// For each FILE, runs
//   - asl-validator (npm, pinned in tests/package.json), default options
//     (checkPaths and checkArn on), and
//   - @wmfs/statelint (npm, pinned in tests/package.json),
// and prints exactly one line:
//   ok FILE
//   FAIL FILE: <validator>: <messages>     (validator: json, asl-validator, statelint)
// Exit status: 0 if every file passes both validators, 1 if any file fails,
// 2 on a usage error or when the validators are not installed
// (run `npm ci` in tests/, or `scripts/install-deps --test`).
//
// Environment: SFC_ORACLE_NO_AJV_CACHE=1 turns off the speed-up described at
// cacheAslValidatorAjv() below (~1 s instead of ~20 s for 100 files).
//
// --no-asl-validator: every FILE after this option skips asl-validator (for
//   the documented gaps of its intrinsic grammar: no escaped backslash, no
//   decimal numbers in intrinsic arguments).
// --no-statelint: every FILE after this option is checked by asl-validator
// only. @wmfs/statelint follows the ASL spec as of September 2023 and rejects
// every field it does not know ("Field "X" not allowed in ..."), i.e. anything
// newer or Distributed-Map specific: QueryLanguage (so all JSONata machines),
// Assign, Arguments, Output, Map Items, ItemReader, ItemBatcher, ResultWriter,
// Label, ToleratedFailurePercentage/Count(Path), MaxConcurrencyPath...
// asl-validator 4.x knows these. Use --no-statelint for the outputs that
// legitimately use such fields. (Credentials and ItemProcessor/ProcessorConfig
// are known to statelint.)
//
// Notes on the validators' APIs (from their installed sources):
//   require('asl-validator')(definition, {checkPaths, checkArn})
//     -> {isValid, errors: [{'Error code', Message, ...}], errorsText(sep)}
//     It MUTATES definition (sets QueryLanguage on every state), so it gets
//     its own parsed copy here.
//   require('@wmfs/statelint') is a factory: require(...)() -> StateLint;
//     stateLint.validate(json) -> array of problem strings (empty = valid).
//     (Its README shows `stateLint.validate` without the call; that is wrong.)
'use strict'

const fs = require('fs')

function usage (msg) {
  if (msg) process.stderr.write(`validate-asl: ${msg}\n`)
  process.stderr.write(
    'usage: node tests/oracles/validate-asl.js [FILE.asl.json...] ' +
    '[--no-statelint FILE.asl.json...] [--no-asl-validator FILE.asl.json...]\n')
  process.exit(2)
}

function load (name) {
  try {
    return require(name)
  } catch (err) {
    process.stderr.write(
      `validate-asl: cannot load npm package ${name} (${err.message.split('\n')[0]}).\n` +
      'validate-asl: run `npm ci` in tests/ (or scripts/install-deps --test)\n')
    process.exit(2)
  }
}

// ---- arguments
const jobs = [] // {file, statelint: bool, asl: bool}
let useStatelint = true
let useAsl = true
let onlyFiles = false
for (const arg of process.argv.slice(2)) {
  if (!onlyFiles && arg === '--') {
    onlyFiles = true
  } else if (!onlyFiles && arg === '--no-statelint') {
    useStatelint = false
  } else if (!onlyFiles && arg === '--no-asl-validator') {
    useAsl = false
  } else if (!onlyFiles && (arg === '-h' || arg === '--help')) {
    usage()
  } else if (!onlyFiles && arg.startsWith('-') && arg !== '-') {
    usage(`unknown option ${arg}`)
  } else {
    jobs.push({ file: arg, statelint: useStatelint, asl: useAsl })
  }
}
if (jobs.length === 0) usage('no files given')

const aslValidator = load('asl-validator')
if (!process.env.SFC_ORACLE_NO_AJV_CACHE) cacheAslValidatorAjv()
const statelintFactory = load('@wmfs/statelint')
let stateLint = null // built lazily: parsing its j2119 schema takes a moment

// Speed: asl-validator builds a new Ajv instance and compiles all its JSON
// schemas on every call (~0.2 s per file). Make the Ajv constructor, as seen
// by asl-validator, return one shared instance so the schemas are compiled
// once. Its later setup calls are harmless: addFormat() re-registers
// equivalent functions, and addKeyword() is made to skip keywords already
// defined (ajv-formats adds formatMaximum & co. each time). This is sound only
// because every call here uses the same options ({checkPaths, checkArn} both
// true). Set SFC_ORACLE_NO_AJV_CACHE=1 to turn it off; selftest.sh checks
// that both modes print the same results.
function cacheAslValidatorAjv () {
  const path = require('path')
  let ajvModule
  try {
    const from = path.dirname(require.resolve('asl-validator'))
    ajvModule = require(require.resolve('ajv', { paths: [from] }))
  } catch (err) {
    return // layout changed: run uncached (slow but correct)
  }
  const RealAjv = ajvModule.default
  if (typeof RealAjv !== 'function') return
  let shared = null
  function SharedAjv (opts) {
    if (!shared) {
      shared = new RealAjv(opts)
      const addKeyword = shared.addKeyword
      shared.addKeyword = function (def, ...rest) {
        const kw = typeof def === 'string' ? def : def && def.keyword
        const kws = Array.isArray(kw) ? kw : [kw]
        if (kws.length && kws.every(k => typeof k === 'string' && this.getKeyword(k))) {
          return this
        }
        return addKeyword.call(this, def, ...rest)
      }
    }
    return shared
  }
  ajvModule.default = SharedAjv
}

// ---- helpers
function oneLine (s) {
  return String(s).replace(/\s*\n\s*/g, ' ').trim()
}

function checkFile (job) {
  let text
  try {
    text = fs.readFileSync(job.file === '-' ? 0 : job.file, 'utf8')
  } catch (err) {
    return `read: ${oneLine(err.message)}`
  }
  let def
  try {
    def = JSON.parse(text)
  } catch (err) {
    return `json: ${oneLine(err.message)}`
  }
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    return 'json: top level is not a JSON object'
  }

  const failures = []

  // asl-validator mutates its argument: give it a private copy.
  if (job.asl) try {
    const res = aslValidator(JSON.parse(text), { checkPaths: true, checkArn: true })
    if (!res.isValid) {
      const msgs = res.errors.map(e => oneLine(`${e['Error code']}: ${e.Message}`))
      failures.push(`asl-validator: ${msgs.join('; ')}`)
    }
  } catch (err) {
    failures.push(`asl-validator: crashed: ${oneLine(err.message)}`)
  }

  if (job.statelint) {
    try {
      if (!stateLint) stateLint = statelintFactory()
      const problems = stateLint.validate(JSON.parse(text))
      if (problems.length) {
        failures.push(`statelint: ${problems.map(oneLine).join('; ')}`)
      }
    } catch (err) {
      failures.push(`statelint: crashed: ${oneLine(err.message)}`)
    }
  }

  return failures.length ? failures.join(' | ') : null
}

// ---- main
let failed = 0
for (const job of jobs) {
  const failure = checkFile(job)
  if (failure) {
    failed++
    process.stdout.write(`FAIL ${job.file}: ${failure}\n`)
  } else {
    process.stdout.write(`ok ${job.file}\n`)
  }
}
process.exitCode = failed ? 1 : 0
