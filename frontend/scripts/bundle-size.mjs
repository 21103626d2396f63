#!/usr/bin/env node
// Prints the initial JavaScript of the built app, gzipped: the scripts
// dist/index.html loads (<script type="module" src> and <link
// rel="modulepreload">), each gzipped at level 9, summed.  Chunks loaded
// later on demand (the admin pages) do not count.  Exits 1 above the
// budget (issue 6: 200 kB = 204800 bytes), 2 when dist/ is missing.
//
//   node scripts/bundle-size.mjs [DIST-DIR] [--budget BYTES]
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let budget = 200 * 1024;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--budget') budget = Number(args[++i]);
  else dist = args[i];
}
const index = join(dist, 'index.html');
if (!existsSync(index)) {
  console.error(`bundle-size: ${index} is missing: run npm run build`);
  process.exit(2);
}
const html = readFileSync(index, 'utf8');
const srcs = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) srcs.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) srcs.add(m[1]);
let raw = 0;
let gz = 0;
for (const src of srcs) {
  const bytes = readFileSync(join(dist, src.replace(/^\//, '')));
  raw += bytes.length;
  const z = gzipSync(bytes, { level: 9 }).length;
  gz += z;
  console.log(`  ${src}: ${bytes.length} bytes, ${z} gzipped`);
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`initial JavaScript: ${srcs.size} files, ${kb(raw)} kB, ${kb(gz)} kB gzipped (budget ${kb(budget)} kB)`);
if (gz > budget) {
  console.error(`bundle-size: the initial JavaScript is ${kb(gz)} kB gzipped, over the ${kb(budget)} kB budget`);
  process.exit(1);
}
