#!/usr/bin/env node
// The outside hosts, as a team outside this workspace would use Latchkey:
// build the libraries, `npm pack` them, install the tarballs into each
// example (its own npm project, no path alias, nothing from the workspace),
// build it, then test it: the Nest host with a black-box run of the API
// tests, and the Angular host's login → refresh → logout in Chromium
// against that Nest host.
//
//   npm run examples          (PostgreSQL at PGHOST/PGPORT, Debian's chromium)
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NEST_HOST = join(ROOT, 'examples/nest-host');
const ANGULAR_HOST = join(ROOT, 'examples/angular-host');

function run(title, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed after ${seconds} s (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`✔ ${title} (${seconds} s)`);
}

const npm = (dir, ...args) => ['npm', ['--prefix', dir, ...args]];

run('build the packages', 'npx', ['nx', 'run-many', '-t', 'build', '-p', 'auth-contract', 'auth-nest', 'auth-angular', '--output-style=static']);
for (const [name, dir, install] of [
  ['nest-host', NEST_HOST, 'install-latchkey'],
  ['angular-host', ANGULAR_HOST, 'install:latchkey'],
]) {
  run(`${name}: npm ci`, ...npm(dir, 'ci', '--no-audit', '--no-fund'));
  run(`${name}: install the packed tarballs`, ...npm(dir, 'run', install));
  run(`${name}: build`, ...npm(dir, 'run', 'build'));
}
// The Nest host's runner starts it on a fresh database, runs its black-box
// API tests, then the Angular host's browser test against the same server.
run('nest-host: black-box API tests, then angular-host in Chromium against it', ...npm(NEST_HOST, 'test'), {
  env: { ALSO_RUN: `npm --prefix ${ANGULAR_HOST} run e2e` },
});
