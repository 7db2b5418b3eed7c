#!/usr/bin/env node
// schema.js: the second oracle for the Terraform modules that sfc writes. It
// checks every resource, data source and provider block against the AWS
// provider's schema, which is what `terraform validate` would do if it could
// download the provider (it can't here: no network, no registry).
//
//   node schema.js [STRUCTURE.json | -]      check (the output of hclcheck -json)
//   node schema.js --schema [data.]TYPE      print the schema it rebuilt for TYPE
//
// The schema is rebuilt offline from the generated sources of the npm package
// @cdktf/provider-aws (pinned in tests/package.json; its package.json records
// which provider version they were generated from). For each type,
// lib/<dir>/index.js and index.d.ts hold:
//   - synthesizeHclAttributes(): every argument and block under its Terraform
//     name, e.g. `role_arn: { value: cdktf.stringToHclTerraform(this._roleArn),
//     isBlock: false, ...}`; nested blocks have a function XToHclTerraform(struct)
//     of the same shape, reading `struct.camelName`;
//   - the config interfaces in index.d.ts: `readonly roleArn: string` is
//     required, `readonly name?: string` optional;
//   - a block converted by `cdktf.listMapperHcl(f, true)(...)` may repeat; one
//     converted by f(...) directly is a single block (max items 1);
//   - getters that read `this.getStringAttribute('arn')` (or another getXAttribute,
//     or build `new X(this, "name")`) without an entry in the synthesize function
//     are computed-only attributes: they can be read but not set.
// Names are taken from those sources, never converted from camelCase.
//
// Reports, as FILE:LINE: aws_x.name: MESSAGE (data sources as data.aws_x.name),
// unknown arguments and blocks, missing required arguments and blocks, computed
// attributes that are set, single blocks given twice, and references
// (aws_x.name.attr in any expression) to attributes the type does not have.
// Exit status 1 if there was any, 2 on a usage error or when the package is missing.
// Constraints the generated code does not record (ExactlyOneOf, ConflictsWith,
// value validation, max items above 1) are not checked.
'use strict';

const fs = require('fs');
const path = require('path');

const PACKAGE = '@cdktf/provider-aws';
const META_ARGS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

// Types that Terraform itself provides (terraform.io/builtin/terraform).
const BUILTIN = {
    'resource terraform_data': {
        arguments: { input: { required: false }, triggers_replace: { required: false } },
        blocks: {}, computed: ['id', 'output'],
    },
};

let lib;
function libDir() {
    if (!lib) lib = path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'lib');
    return lib;
}

function providerVersion() {
    const pkg = JSON.parse(fs.readFileSync(path.join(libDir(), '..', 'package.json'), 'utf8'));
    return `${PACKAGE} ${pkg.version} (provider ${pkg.cdktf.provider.name} ${pkg.cdktf.provider.version})`;
}

// index.js ends with an inline source map whose sourcesContent is the
// TypeScript the generator wrote, with its comments.
// Large types keep their nested structs in index-structs/structsN.*, read
// here as if they were part of index.*.
function readSource(dir) {
    const src = { js: '', dts: '', ts: '' };
    const structs = path.join(libDir(), dir, 'index-structs');
    const bases = [path.join(libDir(), dir, 'index')];
    if (fs.existsSync(structs)) {
        for (const f of fs.readdirSync(structs).sort()) {
            if (/^structs\d+\.js$/.test(f)) bases.push(path.join(structs, f.slice(0, -3)));
        }
    }
    for (const base of bases) {
        src.js += fs.readFileSync(`${base}.js`, 'utf8')
            .replace(/^\/\/# sourceMappingURL=data:application\/json;base64,(.*)$/m, (_, map) => {
                src.ts += (JSON.parse(Buffer.from(map, 'base64').toString('utf8')).sourcesContent || [''])[0];
                return '';
            });
        src.dts += fs.readFileSync(`${base}.d.ts`, 'utf8');
    }
    return src;
}

// The class whose tfResourceType is `type` and that extends TerraformResource
// (kind 'resource'), TerraformDataSource ('data') or TerraformProvider ('provider').
function classFor(src, kind, type) {
    const base = { resource: 'TerraformResource', data: 'TerraformDataSource', provider: 'TerraformProvider' }[kind];
    for (const m of src.js.matchAll(/^(\w+)\.tfResourceType = "([^"]+)";$/gm)) {
        if (m[2] === type && new RegExp(`^class ${m[1]} extends cdktf\\.${base} \\{`, 'm').test(src.js)) return m[1];
    }
    return null;
}

// lib/ directory of a type. The generator names them after the type (checked
// against tfResourceType); otherwise every directory is searched.
function findType(kind, type) {
    const guess = kind === 'data' ? `data-${type.replace(/_/g, '-')}`
        : kind === 'provider' ? 'provider' : type.replace(/^aws_/, '').replace(/_/g, '-');
    const tryDir = (dir) => {
        if (!fs.existsSync(path.join(libDir(), dir, 'index.js'))) return null;
        const src = readSource(dir);
        const cls = classFor(src, kind, type);
        return cls ? { src, cls } : null;
    };
    let found = tryDir(guess);
    for (const dir of found ? [] : fs.readdirSync(libDir())) {
        const dts = path.join(libDir(), dir, 'index.d.ts');
        if (fs.existsSync(dts) && fs.readFileSync(dts, 'utf8').includes(`tfResourceType = "${type}"`)) {
            found = tryDir(dir);
            if (found) break;
        }
    }
    return found;
}

// Text from `start` (a regexp matching a line) to the line that closes it:
// the next line starting with `end`.
function section(text, start, end) {
    const m = start.exec(text);
    if (!m) return null;
    const stop = text.indexOf(end, m.index + m[0].length);
    return text.slice(m.index, stop < 0 ? text.length : stop);
}

function classBody(js, cls) {
    return section(js, new RegExp(`^class ${cls} extends [\\w.]+ \\{$`, 'm'), '\n}\n');
}

// The entries of an `attrs = { name: { value: EXPR, isBlock: B, type: "T", ... } }`
// object, with the camelCase field EXPR reads and, for a block, its converter.
function hclAttrs(body) {
    const out = [];
    const re = /^ {8,}"?([\w-]+)"?: \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "([^"]*)",\n/gm;
    for (const m of body.matchAll(re)) {
        const [, name, value, isBlock, type] = m;
        const field = [...value.matchAll(/(?:this\._|struct\??\.)(\w+)/g)].pop();
        const e = { name, field: field && field[1], isBlock: isBlock === 'true', type };
        if (e.isBlock) {
            // listMapperHcl(f, false): an SDK "attributes as blocks" list, which
            // may also be written as an argument (name = [{...}]). Large types
            // keep their converters in index-structs/ (index_structs_1.f).
            const list = /cdktf\.listMapperHcl\((?:\w+_\d+\.)?(\w+), (true|false)\)/.exec(value);
            const single = /(?<![\w.])(?:\w+_\d+\.)?([a-z]\w*ToHclTerraform)\)?\(/.exec(value); // f(x) or (0, m_1.f)(x)
            e.converter = list ? list[1] : single && single[1];
            e.single = !list;
            e.asAttribute = Boolean(list && list[2] === 'false');
        }
        out.push(e);
    }
    return out;
}

// Properties of a TypeScript interface: { camelName: optional }.
function interfaceProps(dts, name) {
    const body = section(dts, new RegExp(`^export interface ${name}\\b.*\\{$`, 'm'), '\n}\n');
    if (!body) throw new Error(`interface ${name} not found`);
    const props = {};
    for (const m of body.matchAll(/^ {4}readonly (\w+)(\??):/gm)) props[m[1]] = m[2] === '?';
    return props;
}

// Terraform names a class can read: getters and complex attribute objects.
function readableNames(classText) {
    const names = new Set();
    if (!classText) return names;
    for (const m of classText.matchAll(/this\.(?:get\w*Attribute|interpolationForAttribute)\('([\w-]+)'\)/g)) names.add(m[1]);
    for (const m of classText.matchAll(/new [\w.]+\(this, "([\w-]+)"/g)) names.add(m[1]);
    return names;
}

// The generator's comments in the TypeScript class cls, one per attribute:
// `// name - computed: true, optional: true, required: false`.
function flagComments(src, cls) {
    const flags = {};
    const classText = section(src.ts, new RegExp(`^export class ${cls} extends [\\w.]+ \\{$`, 'm'), '\n}\n');
    for (const m of (classText || '').matchAll(/^ +\/\/ ([\w-]+) - computed: (\w+), optional: (\w+), required: (\w+)$/gm)) {
        flags[m[1]] = { computed: m[2] === 'true', optional: m[3] === 'true', required: m[4] === 'true' };
    }
    return flags;
}

// Builds { arguments, blocks, computed } from the attrs entries of one level.
// optional(field) tells whether the config interface marks a field optional;
// classText is the JS class with the getters, cls its name. An argument the
// comments call computed too gets `computed: true`: the provider fills it in
// when it is not set.
function level(src, entries, optional, classText, cls) {
    const schema = { arguments: {}, blocks: {}, computed: [] };
    const flags = flagComments(src, cls);
    for (const e of entries) {
        const opt = optional(e.field);
        if (opt === undefined) throw new Error(`${e.name}: field ${e.field} not in the config interface`);
        if (e.isBlock) {
            schema.blocks[e.name] = Object.assign({ required: !opt, maxItems: e.single ? 1 : null, nesting: e.type },
                e.asAttribute ? { asAttribute: true } : {}, struct(src, e.converter));
        } else {
            schema.arguments[e.name] = { required: !opt };
            if (flags[e.name] && flags[e.name].computed) schema.arguments[e.name].computed = true;
        }
        const f = flags[e.name];
        if (f && f.required === opt) disagreements.push(`${cls}.${e.name}: required by the comment: ${f.required}, by index.d.ts: ${!opt}`);
    }
    const readable = readableNames(classText);
    schema.computed = [...readable].filter((n) => !(n in schema.arguments) && !(n in schema.blocks)).sort();
    for (const [name, f] of Object.entries(flags)) {
        const computedOnly = f.computed && !f.optional && !f.required;
        if (computedOnly !== schema.computed.includes(name)) {
            disagreements.push(`${cls}.${name}: computed-only by the comment: ${computedOnly}, by the getters: ${!computedOnly}`);
        }
    }
    return schema;
}

// The schema of a nested block from its XToHclTerraform converter.
function struct(src, converter) {
    const fn = section(src.js, new RegExp(`^function ${converter}\\(struct\\) \\{$`, 'm'), '\n}\n');
    const decl = new RegExp(`^export declare function ${converter}\\(struct\\?: ([^)]*)\\): any;$`, 'm').exec(src.dts);
    if (!fn || !decl) throw new Error(`converter ${converter} not found`);
    const iface = decl[1].split(' | ').map((t) => t.replace(/\[\]$/, ''))
        .find((t) => !t.endsWith('OutputReference') && !t.startsWith('cdktf.'));
    const props = interfaceProps(src.dts, iface);
    const ref = src.js.includes(`\nclass ${iface}OutputReference `) ? classBody(src.js, `${iface}OutputReference`) : null;
    return level(src, hclAttrs(fn), (field) => props[field], ref, `${iface}OutputReference`);
}

// Where the two sources of one fact disagree (see --selfcheck).
const disagreements = [];

// kind: 'resource' | 'data' | 'provider'. Returns null for an unknown type.
const cache = new Map();
function loadSchema(kind, type) {
    const key = `${kind} ${type}`;
    if (BUILTIN[key]) return BUILTIN[key];
    if (cache.has(key)) return cache.get(key);
    const found = findType(kind, type);
    let schema = null;
    if (found) {
        const { src, cls } = found;
        const body = classBody(src.js, cls);
        const synth = section(body, /^ {4}synthesizeHclAttributes\(\) \{$/m, '\n    }\n');
        // this._roleArn = config.roleArn;  this._target.internalValue = config.target;
        const configField = {};
        for (const m of body.matchAll(/^ {8}this\._(\w+)(?:\.internalValue)? = config\.(\w+);$/gm)) configField[m[1]] = m[2];
        const ctor = new RegExp(`^ {4}constructor\\(scope: Construct, id: string, config\\??: (\\w+)\\);$`, 'm').exec(src.dts);
        const props = interfaceProps(src.dts, ctor[1]);
        schema = level(src, hclAttrs(synth), (field) => props[configField[field] || field], body, cls);
        schema.type = type;
        schema.kind = kind;
    }
    cache.set(key, schema);
    return schema;
}

// ---- checking a module ----

function checkBlock(node, schema, where, report, top) {
    const lineOf = (name) => (node.attribute_lines && node.attribute_lines[name]) || node.line;
    const meta = new Set(node.meta || []);
    const present = new Set();
    for (const a of node.attributes) {
        if (top && (META_ARGS.has(a) || meta.has(a))) continue;
        present.add(a);
        if (schema.arguments[a] || (schema.blocks[a] && schema.blocks[a].asAttribute)) continue;
        if (schema.blocks[a]) report(lineOf(a), where, `${a} is a block, not an argument: write ${a} { ... }`);
        else if (schema.computed.includes(a)) report(lineOf(a), where, `${a} is a computed attribute; it cannot be set`);
        else report(lineOf(a), where, `unknown argument ${a}`);
    }
    const count = {};
    for (const b of node.blocks) {
        if (top && META_ARGS.has(b.type)) continue;
        present.add(b.type);
        const s = schema.blocks[b.type];
        if (!s) {
            if (schema.arguments[b.type]) report(b.line, where, `${b.type} is an argument, not a block: write ${b.type} = ...`);
            else if (schema.computed.includes(b.type)) report(b.line, where, `${b.type} is a computed attribute; it cannot be set`);
            else report(b.line, where, `unknown block ${b.type}`);
            continue;
        }
        count[b.type] = b.dynamic ? Infinity : (count[b.type] || 0) + 1;
        if (s.maxItems === 1 && count[b.type] === 2) report(b.line, where, `at most one ${b.type} block is allowed`);
        checkBlock(b, s, `${where}.${b.type}`, report, false);
    }
    for (const [name, s] of Object.entries(schema.arguments)) {
        if (s.required && !present.has(name)) report(node.line, where, `missing required argument ${name}`);
    }
    for (const [name, s] of Object.entries(schema.blocks)) {
        if (s.required && !present.has(name)) report(node.line, where, `missing required block ${name}`);
    }
}

function checkModule(module) {
    const problems = [];
    const types = {}; // "aws_x.name" / "data.aws_x.name" -> schema
    const check = (kind, node, where) => {
        const report = (line, at, msg) => problems.push(`${node.file}:${line}: ${at}: ${msg}`);
        const schema = loadSchema(kind, node.type);
        if (!schema) {
            report(node.line, where, `unknown ${kind === 'data' ? 'data source' : kind} type ${node.type} (not in ${providerVersion()})`);
            return;
        }
        types[where] = schema;
        checkBlock(node, schema, where, report, kind !== 'provider');
    };
    for (const r of module.resources || []) check('resource', r, `${r.type}.${r.name}`);
    for (const d of module.data || []) check('data', d, `data.${d.type}.${d.name}`);
    for (const p of module.providers || []) check('provider', p, `provider.${p.type}`);
    for (const ref of module.references || []) {
        const schema = types[ref.ref];
        if (!schema || !ref.attribute) continue; // unresolved ones are hclcheck's to report
        if (ref.attribute in schema.arguments || ref.attribute in schema.blocks || schema.computed.includes(ref.attribute)) continue;
        problems.push(`${ref.file}:${ref.line}: ${ref.ref}: no attribute ${ref.attribute} to refer to (${ref.ref}.${ref.attribute})`);
    }
    return problems;
}

// Loads every type in the package and compares what index.d.ts and the getters
// say with the generator's comments; prints counts, exits 1 on a disagreement.
function selfcheck() {
    const counts = { types: 0, failed: 0, arguments: 0, optionalComputed: 0, computedOnly: 0, blocks: 0, singleBlocks: 0, requiredBlocks: 0 };
    const walk = (schema) => {
        counts.arguments += Object.keys(schema.arguments).length;
        counts.optionalComputed += Object.values(schema.arguments).filter((a) => a.computed).length;
        counts.computedOnly += schema.computed.length;
        for (const b of Object.values(schema.blocks)) {
            counts.blocks++;
            if (b.maxItems === 1) counts.singleBlocks++;
            if (b.required) counts.requiredBlocks++;
            walk(b);
        }
    };
    for (const dir of fs.readdirSync(libDir()).sort()) {
        const dts = path.join(libDir(), dir, 'index.d.ts');
        const m = fs.existsSync(dts) && /tfResourceType = "([^"]+)"/.exec(fs.readFileSync(dts, 'utf8'));
        if (!m) continue;
        const kind = dir === 'provider' ? 'provider' : dir.startsWith('data-') ? 'data' : 'resource';
        counts.types++;
        try {
            const schema = loadSchema(kind, m[1]);
            if (!schema) throw new Error('not found');
            walk(schema);
        } catch (e) {
            counts.failed++;
            console.log(`${kind} ${m[1]}: ${e.message}`);
        }
    }
    for (const d of disagreements) console.log(d);
    console.log(`${providerVersion()}: ${JSON.stringify(counts)}, ${disagreements.length} disagreements`);
    return counts.failed || disagreements.length ? 1 : 0;
}

function main(argv) {
    try {
        require.resolve(`${PACKAGE}/package.json`);
    } catch (e) {
        console.error(`schema.js: ${PACKAGE} is not installed (scripts/install-deps --test)`);
        return 2;
    }
    if (argv[0] === '--schema' && argv.length === 2) {
        const [kind, type] = argv[1].startsWith('data.') ? ['data', argv[1].slice(5)] : ['resource', argv[1]];
        const schema = loadSchema(kind, type);
        if (!schema) {
            console.error(`schema.js: unknown type ${argv[1]}`);
            return 1;
        }
        console.log(JSON.stringify(schema, null, 1));
        return 0;
    }
    if (argv[0] === '--selfcheck' && argv.length === 1) return selfcheck();
    if (argv.length > 1 || (argv[0] || '').startsWith('--')) {
        console.error('usage: node schema.js [STRUCTURE.json | -] | --schema [data.]TYPE | --selfcheck');
        return 2;
    }
    let module;
    try {
        const file = argv[0] && argv[0] !== '-' ? argv[0] : 0;
        module = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        console.error(`schema.js: cannot read the module structure: ${e.message}`);
        return 2;
    }
    const problems = checkModule(module);
    for (const p of problems) console.log(p);
    return problems.length ? 1 : 0;
}

module.exports = { loadSchema, checkModule, providerVersion };
if (require.main === module) process.exitCode = main(process.argv.slice(2));
