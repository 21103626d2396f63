#!/usr/bin/env node
// tools/aws-schema.mjs - extracts a compact schema of the Terraform AWS
// provider (every resource and data source type: its arguments, its nested
// blocks with their own arguments, recursively, and the attributes it
// exports) from npm's @cdktf/provider-aws, the prebuilt CDKTF bindings
// generated from the provider's own `terraform providers schema -json`.
//
// Run once, by hand, when the provider version changes (the package is
// ~400 MB, so it is not a dependency of tools/package.json):
//
//   mkdir -p var/aws-schema && cd var/aws-schema && npm init -y &&
//     npm install --no-save @cdktf/provider-aws@VERSION
//   node tools/aws-schema.mjs var/aws-schema/node_modules/@cdktf/provider-aws \
//     > terraform/.schema/aws-provider-compact.json
//
// Where the names come from: each type's index.js has
// synthesizeHclAttributes(), whose keys are exactly the Terraform argument
// names, each marked isBlock true or false, and blocks name the function
// that synthesizes their own attributes (the same shape, recursively).  The
// getters of the resource class (getStringAttribute('arn'), new
// ...OutputReference(this, "endpoint")) name the exported attributes.
//
// Output (sorted, one type per line so diffs stay readable):
//   { "provider": "hashicorp/aws", "provider_version": "6.25.0",
//     "source": "@cdktf/provider-aws 21.22.1",
//     "resource": { "aws_vpc": { "a": [arguments], "b": { block: {a, b} },
//                                 "x": [exported attributes that are not arguments] } },
//     "data": { ... same ... } }
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkgDir = process.argv[2];
if (!pkgDir) {
    process.stderr.write('usage: aws-schema.mjs PATH/TO/@cdktf/provider-aws\n');
    process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

// attrsOf(text): [{name, isBlock, fn}] of the first `const attrs = {...}`
// object in text (a synthesizeHclAttributes body or a *ToHclTerraform
// function).
function attrsOf(text) {
    const start = text.indexOf('const attrs = {');
    if (start < 0) return [];
    const end = text.indexOf('// remove undefined attributes', start);
    const seg = text.slice(start, end < 0 ? undefined : end);
    const out = [];
    const re = /(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),/g;
    let m;
    while ((m = re.exec(seg)) !== null) {
        const fn = /(?<![.\w])([a-z]\w*ToHclTerraform)\b/.exec(m[2]);
        out.push({ name: m[1], isBlock: m[3] === 'true', fn: fn ? fn[1] : null });
    }
    return out;
}

function functionBody(src, name) {
    const start = src.indexOf(`function ${name}(struct) {`);
    if (start < 0) return null;
    const end = src.indexOf('\n}\n', start);
    return src.slice(start, end);
}

function shape(src, attrs, depth) {
    const node = { a: [], b: {} };
    for (const at of attrs) {
        if (!at.isBlock) {
            node.a.push(at.name);
            continue;
        }
        let child = { a: [], b: {} };
        const body = at.fn && depth < 12 ? functionBody(src, at.fn) : null;
        if (body) child = shape(src, attrsOf(body), depth + 1);
        node.b[at.name] = child;
    }
    node.a.sort();
    if (Object.keys(node.b).length === 0) delete node.b;
    return node;
}

const out = { resource: {}, data: {} };
let providerVersion = null;
for (const dir of readdirSync(join(pkgDir, 'lib')).sort()) {
    let src;
    try {
        src = readFileSync(join(pkgDir, 'lib', dir, 'index.js'), 'utf8');
    } catch {
        continue;
    }
    const cls = /\nclass (\w+) extends cdktf\.(TerraformResource|TerraformDataSource|TerraformProvider) \{/.exec(src);
    if (!cls || cls[2] === 'TerraformProvider') continue;
    const classEnd = src.indexOf(`exports.${cls[1]} = ${cls[1]};`, cls.index);
    const body = src.slice(cls.index, classEnd < 0 ? undefined : classEnd);
    const type = /terraformResourceType: '([\w]+)'/.exec(body);
    if (!type) continue;
    const pv = /providerVersion: '([^']+)'/.exec(body);
    if (pv) providerVersion = pv[1];
    const synth = body.indexOf('synthesizeHclAttributes() {');
    const node = shape(src, synth < 0 ? [] : attrsOf(body.slice(synth)), 0);
    const exported = new Set();
    for (const m of body.matchAll(/this\.get\w*Attribute\('(\w+)'\)/g)) exported.add(m[1]);
    for (const m of body.matchAll(/new \w+\(this, "(\w+)"/g)) exported.add(m[1]);
    const argSet = new Set(node.a.concat(Object.keys(node.b || {})));
    const x = [...exported].filter((n) => !argSet.has(n)).sort();
    if (x.length) node.x = x;
    out[cls[2] === 'TerraformDataSource' ? 'data' : 'resource'][type[1]] = node;
}

// One type per line.
const lines = [];
lines.push('{');
lines.push(`"provider": "hashicorp/aws",`);
lines.push(`"provider_version": ${JSON.stringify(providerVersion)},`);
lines.push(`"source": ${JSON.stringify(`${pkg.name} ${pkg.version}`)},`);
for (const kind of ['resource', 'data']) {
    const names = Object.keys(out[kind]).sort();
    lines.push(`"${kind}": {`);
    names.forEach((n, i) => {
        lines.push(`${JSON.stringify(n)}: ${JSON.stringify(out[kind][n])}${i + 1 < names.length ? ',' : ''}`);
    });
    lines.push(kind === 'resource' ? '},' : '}');
}
lines.push('}');
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write(`${Object.keys(out.resource).length} resource types, ${Object.keys(out.data).length} data sources, provider ${providerVersion}\n`);
