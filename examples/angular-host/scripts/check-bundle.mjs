#!/usr/bin/env node
// Runs after `ng build --stats-json` (npm run build). Proves, from esbuild's metafile
// (dist/stats.json), that the app was built the way an outside app builds it:
//   - every input comes from this folder (no /work/main/node_modules, no workspace sources);
//   - @latchkey/auth-angular is its FESM build and @latchkey/auth-contract its ESM build
//     (the `module` export condition), so no CommonJS reached the bundle;
// then prints the size of what the browser downloads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(EXAMPLE, 'dist');
const stats = JSON.parse(readFileSync(join(DIST, 'stats.json'), 'utf8'));
const inputs = Object.entries(stats.inputs).map(([path, input]) => ({ path, ...input }));
const problems = [];

// Paths in the metafile are relative to this folder; Angular's own virtual inputs have a `:` prefix.
const outside = inputs.filter(({ path }) => path.startsWith('../') || path.startsWith('/'));
for (const { path } of outside) problems.push(`input from outside the example: ${path}`);

const commonJs = inputs.filter(({ format }) => format === 'cjs');
for (const { path } of commonJs) problems.push(`CommonJS input (Angular warns "CommonJS or AMD dependencies"): ${path}`);

const fromPackage = (name) => inputs.filter(({ path }) => path.startsWith(`node_modules/${name}/`)).map(({ path }) => path);
const angularLib = fromPackage('@latchkey/auth-angular');
const contract = fromPackage('@latchkey/auth-contract');
if (angularLib.length === 0) problems.push('@latchkey/auth-angular is not in the bundle');
if (contract.length === 0) problems.push('@latchkey/auth-contract is not in the bundle');
for (const path of angularLib) if (!path.includes('/fesm2022/')) problems.push(`@latchkey/auth-angular input outside fesm2022/: ${path}`);
for (const path of contract) if (!path.startsWith('node_modules/@latchkey/auth-contract/esm/')) problems.push(`@latchkey/auth-contract input outside esm/: ${path}`);

const browser = join(DIST, 'browser');
const files = readdirSync(browser).filter((name) => /\.(js|css|html)$/.test(name));
let raw = 0;
let gzip = 0;
let brotli = 0;
console.log('bundle (dist/browser):');
for (const name of files.sort()) {
  const body = readFileSync(join(browser, name));
  const sizes = [statSync(join(browser, name)).size, gzipSync(body, { level: 9 }).length, brotliCompressSync(body).length];
  [raw, gzip, brotli] = [raw + sizes[0], gzip + sizes[1], brotli + sizes[2]];
  console.log(`  ${name.padEnd(28)} ${kb(sizes[0])} raw  ${kb(sizes[1])} gzip  ${kb(sizes[2])} br`);
}
console.log(`  ${'total'.padEnd(28)} ${kb(raw)} raw  ${kb(gzip)} gzip  ${kb(brotli)} br`);
const libBytes = (paths) => paths.reduce((sum, path) => sum + stats.inputs[path].bytes, 0);
console.log(`inputs: @latchkey/auth-angular ${kb(libBytes(angularLib))} (${angularLib.join(', ')}), @latchkey/auth-contract ${kb(libBytes(contract))} (${contract.length} ESM files), before minification`);

if (problems.length) {
  console.error(`check-bundle: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-bundle: ok (${inputs.length} inputs, all from this folder, no CommonJS)`);

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1).padStart(6)} kB`;
}
