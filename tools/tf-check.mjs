#!/usr/bin/env node
// tools/tf-check.mjs - checks the Terraform under terraform/ with no
// terraform binary and no network (t/deploy/terraform-*.sh run it in
// `make check`).  Every .tf file is parsed with npm's @cdktf/hcl2json
// (HashiCorp's HCL parser compiled to WebAssembly).
//
//   node tools/tf-check.mjs validate TERRAFORM-DIR [SCHEMA]
//     TAP, one test per module directory: every resource and data type
//     exists in the AWS provider's schema (terraform/.schema/, made by
//     tools/aws-schema.mjs), every argument and nested block of every
//     resource and data block is one the provider has, every reference
//     (var.x, local.x, module.m.output, data.t.n.attr, aws_t.n.attr,
//     each/count where they mean something) names something declared, each
//     module call passes only variables the module declares and every
//     variable it requires, and every declared variable is used.
//
//   node tools/tf-check.mjs errors TERRAFORM-DIR...
//     the same checks on several trees in one process (the mutation tests
//     of t/deploy/terraform-schema.sh): "=== DIR" and then its errors.
//
//   node tools/tf-check.mjs values TERRAFORM-DIR TABLE
//     TAP, one test per line of TABLE (tab-separated):
//       ROOT  ADDRESS  EXPECTED  [DESCRIPTION]
//     ROOT is a root module directory under TERRAFORM-DIR
//     (environments/production); ADDRESS walks module calls and names a
//     resource argument, a variable or a local:
//       module.stack.module.database.aws_db_instance.main.backup_window
//       module.stack.module.load_balancer.aws_lb_target_group.blue.health_check.0.interval
//       module.stack.module.network.var.public_subnet_cidrs
//     The value is resolved through module arguments, variable defaults and
//     locals where it is a literal or a template of such references; lists
//     and objects compare as compact JSON.  EXPECTED starting with ~ is a
//     regular expression the (resolved) text must match.
//
//   node tools/tf-check.mjs dump TERRAFORM-DIR ROOT ADDRESS
//     prints the resolved value (for writing the table).
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const hcl = require('@cdktf/hcl2json');

// ---- Loading ----------------------------------------------------------------

// Blocks hcl2json gives as { type: { name: [ body ] } } (resource, data) or
// { name: [ body ] } (module, variable, output) or [ { k: v } ] (locals).
async function loadModule(dir) {
    const mod = {
        dir,
        files: [],
        resource: {}, // "type.name" -> { type, name, body, file }
        data: {},
        module: {},
        variable: {},
        output: {},
        locals: {}, // name -> value
        other: [], // [kind, body, file] for provider/terraform blocks
    };
    for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.tf')) continue;
        const file = join(dir, f);
        let doc;
        try {
            doc = await hcl.parse(f, readFileSync(file, 'utf8'));
        } catch (e) {
            throw new Error(`${file}: does not parse: ${e.message || e}`);
        }
        mod.files.push(file);
        for (const kind of ['resource', 'data']) {
            for (const [type, byName] of Object.entries(doc[kind] || {})) {
                for (const [name, bodies] of Object.entries(byName)) {
                    const key = `${type}.${name}`;
                    if (mod[kind][key]) throw new Error(`${file}: ${kind} ${key} declared twice`);
                    mod[kind][key] = { type, name, body: bodies[0], file };
                }
            }
        }
        for (const kind of ['module', 'variable', 'output']) {
            for (const [name, bodies] of Object.entries(doc[kind] || {})) {
                if (mod[kind][name]) throw new Error(`${file}: ${kind} ${name} declared twice`);
                mod[kind][name] = { name, body: bodies[0], file };
            }
        }
        for (const block of doc.locals || []) {
            for (const [k, v] of Object.entries(block)) {
                if (k in mod.locals) throw new Error(`${file}: local ${k} declared twice`);
                mod.locals[k] = v;
            }
        }
        for (const kind of ['provider', 'terraform', 'moved', 'import', 'check', 'removed']) {
            if (doc[kind]) mod.other.push([kind, doc[kind], file]);
        }
        for (const kind of Object.keys(doc)) {
            if (!['resource', 'data', 'module', 'variable', 'output', 'locals', 'provider', 'terraform',
                'moved', 'import', 'check', 'removed'].includes(kind)) {
                throw new Error(`${file}: unknown top-level block "${kind}"`);
            }
        }
    }
    return mod;
}

function moduleDirs(root) {
    const out = [];
    const walk = (d) => {
        const entries = readdirSync(d).sort();
        if (entries.some((e) => e.endsWith('.tf'))) out.push(d);
        for (const e of entries) {
            if (e.startsWith('.')) continue;
            const p = join(d, e);
            if (statSync(p).isDirectory()) walk(p);
        }
    };
    walk(root);
    return out;
}

// ---- Expressions --------------------------------------------------------------

// codeOf(template): the expression code inside every ${...} of a string
// value as hcl2json gives it, with the contents of string literals blanked
// (their own ${...} kept), so that only real references remain.
function codeOf(s) {
    let out = '';
    let i = 0;
    const n = s.length;
    // Reads a template (literal text with ${...}) from i until `stop`
    // (a quote) or the end; appends the code of its interpolations.
    function template(stopQuote) {
        while (i < n) {
            const c = s[i];
            if (stopQuote && c === '\\') {
                i += 2;
                continue;
            }
            if (stopQuote && c === '"') {
                i++;
                return;
            }
            if (c === '$' && s[i + 1] === '{') {
                i += 2;
                out += ' ';
                expr();
                out += ' ';
                continue;
            }
            if (c === '%' && s[i + 1] === '{') {
                i += 2;
                out += ' ';
                expr();
                out += ' ';
                continue;
            }
            i++;
        }
    }
    // Reads expression code until the } that closes it.
    function expr() {
        let depth = 0;
        while (i < n) {
            const c = s[i];
            if (c === '"') {
                i++;
                out += '""';
                template(true);
                continue;
            }
            if (c === '{') depth++;
            if (c === '}') {
                if (depth === 0) {
                    i++;
                    return;
                }
                depth--;
            }
            out += c;
            i++;
        }
    }
    template(false);
    return out;
}

// traversals(code): [{root, parts:[{kind:'attr'|'index'|'splat', value}]}]
function traversals(code) {
    const out = [];
    const re = /(?<![\w.\-"])([A-Za-z_][\w-]*)((?:\s*(?:\.[A-Za-z_][\w-]*|\.\d+|\.\*|\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]))*)(\s*\()?/g;
    let m;
    while ((m = re.exec(code)) !== null) {
        if (m[3]) continue; // a function call
        const parts = [];
        const pr = /\.([A-Za-z_][\w-]*)|\.(\d+)|\.\*|\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]/g;
        let p;
        while ((p = pr.exec(m[2])) !== null) {
            if (p[1] !== undefined) parts.push({ kind: 'attr', value: p[1] });
            else if (p[2] !== undefined) parts.push({ kind: 'index', value: p[2] });
            else if (p[3] !== undefined) {
                if (p[3].trim() === '*') parts.push({ kind: 'splat' });
                else {
                    parts.push({ kind: 'index', value: p[3] });
                    out.push(...traversals(p[3]));
                }
            } else parts.push({ kind: 'splat' });
        }
        out.push({ root: m[1], parts, text: m[0].trim() });
    }
    return out;
}

function* stringsIn(v) {
    if (typeof v === 'string') yield v;
    else if (Array.isArray(v)) for (const x of v) yield* stringsIn(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) yield* stringsIn(x);
}

// ---- Validation ---------------------------------------------------------------

const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner',
    'connection']);
const VARIABLE_ARGS = new Set(['type', 'default', 'description', 'validation', 'sensitive', 'nullable',
    'ephemeral']);
const OUTPUT_ARGS = new Set(['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
const LIFECYCLE_ARGS = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes',
    'replace_triggered_by', 'precondition', 'postcondition']);

function schemaFor(schema, kind, type) {
    if (schema[kind][type]) return schema[kind][type];
    if (schema.extra && schema.extra[kind] && schema.extra[kind][type]) return schema.extra[kind][type];
    return null;
}

// checkBody: arguments and nested blocks of a resource/data body (or a
// nested block's body) against the schema node {a, b}.
function checkBody(body, node, where, errors) {
    const args = new Set(node.a || []);
    const blocks = node.b || {};
    for (const [k, v] of Object.entries(body)) {
        if (k === 'dynamic') {
            for (const [bname, dyns] of Object.entries(v)) {
                if (!(bname in blocks)) {
                    errors.push(`${where}: dynamic "${bname}": no such block`);
                    continue;
                }
                for (const d of dyns) {
                    for (const c of d.content || []) checkBody(c, blocks[bname], `${where}.${bname}`, errors);
                }
            }
            continue;
        }
        if (k in blocks) {
            const list = Array.isArray(v) ? v : [v];
            for (const b of list) {
                if (b && typeof b === 'object' && !Array.isArray(b)) {
                    checkBody(b, blocks[k], `${where}.${k}`, errors);
                } else {
                    errors.push(`${where}: "${k}" is a block, not an argument`);
                }
            }
            continue;
        }
        if (!args.has(k)) errors.push(`${where}: unsupported argument or block "${k}"`);
    }
}

function checkResourceMeta(body, where, errors) {
    for (const lc of body.lifecycle || []) {
        for (const k of Object.keys(lc)) {
            if (!LIFECYCLE_ARGS.has(k)) errors.push(`${where}: lifecycle: unsupported "${k}"`);
        }
    }
    if (body.count !== undefined && body.for_each !== undefined) {
        errors.push(`${where}: both count and for_each`);
    }
}

function attrNames(node) {
    return new Set([...(node.a || []), ...Object.keys(node.b || {}), ...(node.x || []), 'id']);
}

// checkRefs(mod, value, ctx, where, errors, used): every traversal in the
// strings of value names something declared.  ctx: {count, each, self}.
function checkRefs(mod, modules, schema, value, ctx, where, errors, used) {
    for (const s of stringsIn(value)) {
        if (!s.includes('${') && !s.includes('%{')) continue;
        for (const t of traversals(codeOf(s))) {
            const first = t.parts[0];
            const name = first && first.kind === 'attr' ? first.value : null;
            switch (t.root) {
            case 'var':
                if (!name || !mod.variable[name]) errors.push(`${where}: ${t.text}: no variable "${name}"`);
                else used.add(name);
                break;
            case 'local':
                if (!name || !(name in mod.locals)) errors.push(`${where}: ${t.text}: no local "${name}"`);
                break;
            case 'module': {
                const call = name && mod.module[name];
                if (!call) {
                    errors.push(`${where}: ${t.text}: no module "${name}"`);
                    break;
                }
                const child = modules.get(resolve(mod.dir, call.body.source || ''));
                const out = t.parts[1] && t.parts[1].kind === 'attr' ? t.parts[1].value : null;
                if (child && out && !child.output[out]) {
                    errors.push(`${where}: ${t.text}: module "${name}" has no output "${out}"`);
                }
                break;
            }
            case 'data': {
                const type = name;
                const dname = t.parts[1] && t.parts[1].kind === 'attr' ? t.parts[1].value : null;
                const decl = mod.data[`${type}.${dname}`];
                if (!decl) {
                    errors.push(`${where}: ${t.text}: no data "${type}" "${dname}"`);
                    break;
                }
                const rest = t.parts.slice(2).filter((p) => p.kind === 'attr');
                const node = schemaFor(schema, 'data', type);
                if (node && rest.length && !attrNames(node).has(rest[0].value)) {
                    errors.push(`${where}: ${t.text}: data ${type} has no attribute "${rest[0].value}"`);
                }
                break;
            }
            case 'count':
                if (!ctx.count) errors.push(`${where}: ${t.text}: count.index outside a counted block`);
                break;
            case 'each':
                if (!ctx.each) errors.push(`${where}: ${t.text}: each outside a for_each block`);
                break;
            case 'path':
                if (!name || !['module', 'root', 'cwd'].includes(name)) errors.push(`${where}: ${t.text}: no such path`);
                break;
            default: {
                if (!/^((aws|random)_\w+|terraform_data)$/.test(t.root) || !name) break;
                const decl = mod.resource[`${t.root}.${name}`];
                if (!decl) {
                    errors.push(`${where}: ${t.text}: no resource "${t.root}" "${name}"`);
                    break;
                }
                const rest = t.parts.slice(1).filter((p) => p.kind === 'attr');
                const node = schemaFor(schema, 'resource', t.root);
                if (node && rest.length && !attrNames(node).has(rest[0].value)) {
                    errors.push(`${where}: ${t.text}: resource ${t.root} has no attribute "${rest[0].value}"`);
                }
            }
            }
        }
    }
}

function validateModule(mod, modules, schema) {
    const errors = [];
    const used = new Set();
    const rel = (f) => relative(process.cwd(), f);
    for (const kind of ['resource', 'data']) {
        for (const [key, r] of Object.entries(mod[kind])) {
            const where = `${rel(r.file)}: ${kind === 'data' ? 'data.' : ''}${key}`;
            const node = schemaFor(schema, kind, r.type);
            if (!node) {
                errors.push(`${where}: the provider has no ${kind === 'data' ? 'data source' : 'resource type'} "${r.type}"`);
                continue;
            }
            const body = {};
            for (const [k, v] of Object.entries(r.body)) if (!RESOURCE_META.has(k)) body[k] = v;
            checkBody(body, node, where, errors);
            checkResourceMeta(r.body, where, errors);
            const ctx = { count: r.body.count !== undefined, each: r.body.for_each !== undefined };
            checkRefs(mod, modules, schema, r.body, ctx, where, errors, used);
        }
    }
    for (const [name, v] of Object.entries(mod.variable)) {
        for (const k of Object.keys(v.body)) {
            if (!VARIABLE_ARGS.has(k)) errors.push(`${rel(v.file)}: variable ${name}: unsupported "${k}"`);
        }
        for (const val of v.body.validation || []) {
            checkRefs(mod, modules, schema, val, {}, `${rel(v.file)}: variable ${name}`, errors, new Set());
        }
    }
    for (const [name, o] of Object.entries(mod.output)) {
        for (const k of Object.keys(o.body)) {
            if (!OUTPUT_ARGS.has(k)) errors.push(`${rel(o.file)}: output ${name}: unsupported "${k}"`);
        }
        if (!('value' in o.body)) errors.push(`${rel(o.file)}: output ${name}: no value`);
        checkRefs(mod, modules, schema, o.body, {}, `${rel(o.file)}: output ${name}`, errors, used);
    }
    checkRefs(mod, modules, schema, mod.locals, {}, `${rel(mod.dir)}: locals`, errors, used);
    for (const [name, call] of Object.entries(mod.module)) {
        const where = `${rel(call.file)}: module.${name}`;
        const src = call.body.source;
        if (typeof src !== 'string' || !src.startsWith('.')) {
            errors.push(`${where}: source must be a local path`);
            continue;
        }
        const child = modules.get(resolve(mod.dir, src));
        if (!child) {
            errors.push(`${where}: no module at ${src}`);
            continue;
        }
        for (const k of Object.keys(call.body)) {
            if (MODULE_META.has(k)) continue;
            if (!child.variable[k]) errors.push(`${where}: ${src} has no variable "${k}"`);
        }
        for (const [vn, v] of Object.entries(child.variable)) {
            if (!('default' in v.body) && !(vn in call.body)) {
                errors.push(`${where}: required variable "${vn}" of ${src} is not set`);
            }
        }
        const ctx = { count: call.body.count !== undefined, each: call.body.for_each !== undefined };
        checkRefs(mod, modules, schema, call.body, ctx, where, errors, used);
    }
    for (const [kind, blocks, file] of mod.other) {
        checkRefs(mod, modules, schema, blocks, {}, `${rel(file)}: ${kind}`, errors, used);
    }
    for (const name of Object.keys(mod.variable)) {
        if (!used.has(name)) errors.push(`${rel(mod.variable[name].file)}: variable ${name} is never used`);
    }
    return errors;
}

async function loadAll(tfRoot) {
    const modules = new Map();
    for (const d of moduleDirs(tfRoot)) modules.set(resolve(d), await loadModule(d));
    return modules;
}

// The AWS schema, and beside it extra-providers.json (random_password).
function loadSchema(schemaFile) {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    const extraFile = join(dirname(schemaFile), 'extra-providers.json');
    if (existsSync(extraFile)) schema.extra = JSON.parse(readFileSync(extraFile, 'utf8'));
    return schema;
}

function tap(results) {
    let n = 0;
    let failed = 0;
    const lines = [];
    for (const [ok, desc, diags] of results) {
        n++;
        if (!ok) failed++;
        lines.push(`${ok ? 'ok' : 'not ok'} ${n} - ${desc.replace(/#/g, '\\#')}`);
        for (const d of diags || []) lines.push(`# ${d}`);
    }
    process.stdout.write(`1..${n}\n${lines.join('\n')}\n`);
    return failed;
}

// ---- Values -----------------------------------------------------------------------

function lookupChild(modules, mod, callName) {
    const call = mod.module[callName];
    if (!call) return null;
    return { call, child: modules.get(resolve(mod.dir, call.body.source)) };
}

// An instance: a module and how it was called ({parent instance, call body}).
function resolveValue(modules, inst, value, depth = 0) {
    if (depth > 40) return value;
    if (Array.isArray(value)) return value.map((v) => resolveValue(modules, inst, v, depth + 1));
    if (value && typeof value === 'object') {
        const o = {};
        for (const [k, v] of Object.entries(value)) o[k] = resolveValue(modules, inst, v, depth + 1);
        return o;
    }
    if (typeof value !== 'string' || !value.includes('${')) return value;
    // The whole value is one reference: keep its type.
    const whole = /^\$\{\s*(var|local)\.([A-Za-z_][\w-]*)\s*\}$/.exec(value);
    if (whole) {
        const r = refValue(modules, inst, whole[1], whole[2], depth);
        return r === undefined ? value : r;
    }
    // A template: substitute references that resolve to scalars.
    return value.replace(/\$\{\s*(var|local)\.([A-Za-z_][\w-]*)\s*\}/g, (m, kind, name) => {
        const r = refValue(modules, inst, kind, name, depth);
        return r === undefined || (typeof r === 'object' && r !== null) || (typeof r === 'string' && r.includes('${'))
            ? m : String(r);
    });
}

function refValue(modules, inst, kind, name, depth) {
    if (kind === 'local') {
        if (!(name in inst.mod.locals)) return undefined;
        return resolveValue(modules, inst, inst.mod.locals[name], depth + 1);
    }
    const decl = inst.mod.variable[name];
    if (!decl) return undefined;
    if (inst.callBody && name in inst.callBody) {
        return resolveValue(modules, inst.parent, inst.callBody[name], depth + 1);
    }
    if ('default' in decl.body) return resolveValue(modules, inst, decl.body.default, depth + 1);
    return undefined;
}

// instanceAt(modules, tfRoot, root, calls): the module instance reached
// from root module ROOT through the module calls named in calls
// (['stack', 'compute']).
function instanceAt(modules, tfRoot, root, calls) {
    const mod = modules.get(resolve(tfRoot, root));
    if (!mod) throw new Error(`no root module ${root}`);
    let inst = { mod, parent: null, callBody: null };
    for (const name of calls) {
        const found = lookupChild(modules, inst.mod, name);
        if (!found || !found.child) throw new Error(`no module ${name} in ${relative(tfRoot, inst.mod.dir)}`);
        inst = { mod: found.child, parent: inst, callBody: found.call.body };
    }
    return inst;
}

function valueAt(modules, tfRoot, root, address) {
    const parts = address.split('.');
    const calls = [];
    while (parts[0] === 'module') {
        calls.push(parts[1]);
        parts.splice(0, 2);
    }
    const inst = instanceAt(modules, tfRoot, root, calls);
    let value;
    let rest;
    if (parts[0] === 'var' || parts[0] === 'local') {
        value = refValue(modules, inst, parts[0], parts[1], 0);
        if (value === undefined) throw new Error(`no ${parts[0]}.${parts[1]} in ${relative(tfRoot, inst.mod.dir)}`);
        rest = parts.slice(2);
    } else {
        const kind = parts[0] === 'data' ? 'data' : 'resource';
        if (kind === 'data') parts.shift();
        const r = inst.mod[kind][`${parts[0]}.${parts[1]}`];
        if (!r) throw new Error(`no ${kind} ${parts[0]}.${parts[1]} in ${relative(tfRoot, inst.mod.dir)}`);
        value = r.body;
        rest = parts.slice(2);
    }
    for (const p of rest) {
        if (Array.isArray(value) && /^\d+$/.test(p)) value = value[Number(p)];
        else if (value && typeof value === 'object' && !Array.isArray(value)) value = value[p];
        else value = undefined;
        if (value === undefined) throw new Error(`${address}: nothing at "${p}"`);
    }
    return resolveValue(modules, inst, value);
}

function show(v) {
    return typeof v === 'string' ? v : JSON.stringify(v);
}

// ---- Main ---------------------------------------------------------------------------

async function main() {
    const [cmd, tfRootArg, ...rest] = process.argv.slice(2);
    if (!cmd || !tfRootArg) {
        process.stderr.write('usage: tf-check.mjs validate|values|dump TERRAFORM-DIR ...\n');
        process.exit(2);
    }
    if (cmd === 'errors') {
        for (const dir of [tfRootArg, ...rest]) {
            process.stdout.write(`=== ${dir}\n`);
            try {
                const mods = await loadAll(resolve(dir));
                const schema = loadSchema(join(resolve(dir), '.schema', 'aws-provider-compact.json'));
                for (const mod of mods.values()) {
                    for (const e of validateModule(mod, mods, schema)) process.stdout.write(`${e}\n`);
                }
            } catch (e) {
                process.stdout.write(`${e.message}\n`);
            }
        }
        return;
    }
    const tfRoot = resolve(tfRootArg);
    let modules;
    try {
        modules = await loadAll(tfRoot);
    } catch (e) {
        process.stdout.write(`1..1\nnot ok 1 - the Terraform files parse\n# ${e.message}\n`);
        process.exit(1);
    }
    if (cmd === 'validate') {
        const schemaFile = rest[0] || join(tfRoot, '.schema', 'aws-provider-compact.json');
        const schema = loadSchema(schemaFile);
        const results = [];
        for (const mod of modules.values()) {
            const errors = validateModule(mod, modules, schema);
            const nres = Object.keys(mod.resource).length + Object.keys(mod.data).length;
            results.push([errors.length === 0,
                `${relative(tfRoot, mod.dir) || '.'}: ${nres} resource/data blocks, ${Object.keys(mod.module).length} module calls, ` +
                `${Object.keys(mod.variable).length} variables check out against ${schema.provider} ${schema.provider_version}`,
                errors]);
        }
        process.exit(tap(results) ? 1 : 0);
    } else if (cmd === 'values') {
        const results = [];
        const lines = readFileSync(rest[0], 'utf8').split('\n');
        for (const line of lines) {
            if (!line.trim() || line.startsWith('#')) continue;
            const [root, address, expected, desc] = line.split('\t');
            const label = `${root.replace(/^environments\//, '')}: ${desc || address} = ${expected}`;
            try {
                const got = show(valueAt(modules, tfRoot, root, address));
                const ok = expected.startsWith('~') ? new RegExp(expected.slice(1)).test(got) : got === expected;
                results.push([ok, label, ok ? [] : [`address: ${address}`, `     got: ${got}`, `expected: ${expected}`]]);
            } catch (e) {
                results.push([false, label, [e.message]]);
            }
        }
        process.exit(tap(results) ? 1 : 0);
    } else if (cmd === 'dump') {
        process.stdout.write(show(valueAt(modules, tfRoot, rest[0], rest[1])) + '\n');
    } else {
        process.stderr.write(`unknown command ${cmd}\n`);
        process.exit(2);
    }
}

export { loadAll, instanceAt, valueAt, resolveValue, refValue, stringsIn, codeOf, traversals, tap, show };

// Run as a command (not when tools/tf-rules.mjs imports it).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((e) => {
        process.stderr.write(`${e.stack || e}\n`);
        process.exit(1);
    });
}
