#!/usr/bin/env node
// Runs after `npm run build` (postbuild): proves the example needs nothing from the
// Latchkey workspace around it. Inside the workspace, Node and TypeScript would quietly
// find a missing package in /work/main/node_modules by walking up the directory tree, so
// the check runs in a copy outside it: src/, tsconfig.json, package.json and a hard-linked
// node_modules/ under the OS temp directory. There (1) tsc compiles the app and every file
// it read is inside the copy, and (2) the compiled app module loads with every require
// resolved inside the copy (scripts/only-local-modules.cjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`check-isolation: ${message}`);
  process.exit(1);
}

if (!existsSync(join(EXAMPLE, 'node_modules/@latchkey/auth-nest/package.json'))) {
  fail('@latchkey/auth-nest is not installed: npm --prefix examples/nest-host run install-latchkey');
}

const started = Date.now();
const copy = realpathSync(mkdtempSync(join(tmpdir(), 'nest-host-isolated-')));
try {
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'scripts']) cpSync(join(EXAMPLE, entry), join(copy, entry), { recursive: true });
  // Hard links: fast, and every path TypeScript and Node see is under the copy.
  execFileSync('cp', ['-al', join(EXAMPLE, 'node_modules'), join(copy, 'node_modules')]);

  const tsc = join(copy, 'node_modules/typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], { cwd: copy, encoding: 'utf8' });
  if (compiled.status !== 0) fail(`tsc failed outside the workspace:\n${compiled.stdout}${compiled.stderr}`);
  const files = compiled.stdout.split('\n').filter((line) => line.startsWith('/'));
  const outside = files.filter((file) => !realpathSync(file).startsWith(copy + sep));
  if (outside.length > 0) fail(`tsc read ${outside.length} file(s) from outside the example:\n  ${outside.slice(0, 20).join('\n  ')}`);

  const loaded = spawnSync(process.execPath, ['--require', './scripts/only-local-modules.cjs', '-e', "require('./dist/app.module.js')"], { cwd: copy, encoding: 'utf8' });
  if (loaded.status !== 0) fail(`loading dist/app.module.js outside the workspace failed:\n${loaded.stderr}`);

  console.log(
    `check-isolation: outside the workspace (${copy}) tsc compiled from ${files.length} files, all inside the copy, and dist/app.module.js loaded with every module resolved inside it (${Date.now() - started} ms)`,
  );
} finally {
  rmSync(copy, { recursive: true, force: true });
}
