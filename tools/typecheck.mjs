#!/usr/bin/env node
// `npm run typecheck`: every project's tsconfigs (app or lib, and spec) through
// `tsc --noEmit`. Jest and the bundlers compile one file at a time and report
// no type errors, so without this a spec or a decorated signature could break
// the types unnoticed. `node tools/typecheck.mjs <project root>...` checks only
// those projects: each project's `typecheck` target (tools/nx/typecheck-plugin.js).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** tsconfig.<something>.json of every directory holding a project.json under apps/ and libs/. */
function projectTsconfigs(dir) {
  const entries = readdirSync(dir);
  const found = entries.includes('project.json') ? entries.filter((f) => /^tsconfig\..+\.json$/.test(f)).map((f) => join(dir, f)) : [];
  for (const entry of entries) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...projectTsconfigs(path));
  }
  return found;
}

const roots = process.argv.slice(2);
const configs = (roots.length ? roots : ['apps', 'libs']).flatMap((top) => projectTsconfigs(resolve(ROOT, top))).sort();
if (configs.length === 0) {
  console.error(`no project with a tsconfig.<name>.json under ${roots.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const config of configs) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [TSC, '-p', config, '--noEmit', '--pretty'], { cwd: ROOT, encoding: 'utf8' });
  const ok = result.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${relative(ROOT, config)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) process.stdout.write(result.stdout + result.stderr);
}
console.log(`${configs.length - failed} of ${configs.length} tsconfigs type-check`);
process.exit(failed ? 1 : 0);
