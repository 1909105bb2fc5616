#!/usr/bin/env node
// Packs the built Latchkey libraries and installs the tarballs into this example,
// the way an outside app gets them from a registry:
//   1. npm pack dist/libs/auth/contract and dist/libs/auth/angular  →  examples/.packs/*.tgz
//   2. npm install --no-save <both tarballs>
// --no-save: package.json and package-lock.json pin only the public packages (Angular,
// rxjs, the build tools), so `npm ci` stays honest; a tarball's hash changes with every
// build and would make a committed lock lie. Run it after `npm ci` (which removes them).
//
// Needs the libraries built first, from the workspace root:
//   npx nx build auth-angular        (builds auth-contract first: dependsOn ^build)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACE = resolve(EXAMPLE, '../..');
const PACKS = resolve(EXAMPLE, '../.packs');
const LIBRARIES = [
  { name: '@latchkey/auth-contract', dist: join(WORKSPACE, 'dist/libs/auth/contract') },
  { name: '@latchkey/auth-angular', dist: join(WORKSPACE, 'dist/libs/auth/angular') },
];

function fail(message) {
  console.error(`install-latchkey: ${message}`);
  process.exit(1);
}

function npm(args, cwd) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.error) fail(`could not run npm: ${result.error.message}`);
  if (result.status !== 0) fail(`npm ${args.join(' ')} exited with ${result.status}\n${result.stdout}`);
  return result.stdout;
}

const lockHash = () => {
  const lock = join(EXAMPLE, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : null;
};

if (!existsSync(join(EXAMPLE, 'node_modules', '@angular', 'core'))) {
  fail('install the example first: npm --prefix examples/angular-host ci --no-audit --no-fund');
}

// examples/.packs is shared with the other examples: only our tarballs are (over)written.
mkdirSync(PACKS, { recursive: true });
const tarballs = LIBRARIES.map(({ name, dist }) => {
  const manifest = join(dist, 'package.json');
  if (!existsSync(manifest)) fail(`${relative(process.cwd(), dist)} is missing: run \`npx nx build auth-angular\` in the workspace first`);
  const { name: built, version } = JSON.parse(readFileSync(manifest, 'utf8'));
  if (built !== name) fail(`${manifest} is ${built}, expected ${name}`);
  const [packed] = JSON.parse(npm(['pack', dist, '--pack-destination', PACKS, '--json', '--silent'], EXAMPLE));
  const file = join(PACKS, packed.filename);
  console.log(`packed ${name}@${version} → ${relative(EXAMPLE, file)} (${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} kB)`);
  return { name, version, file };
});

const lockBefore = lockHash();
npm(['install', '--no-save', '--no-audit', '--no-fund', ...tarballs.map(({ file }) => relative(EXAMPLE, file))], EXAMPLE);
if (lockHash() !== lockBefore) fail('package-lock.json changed: the tarballs must stay out of the committed lock');

for (const { name, version } of tarballs) {
  const installed = join(EXAMPLE, 'node_modules', name, 'package.json');
  if (!existsSync(installed)) fail(`${name} is not in node_modules after npm install`);
  const got = JSON.parse(readFileSync(installed, 'utf8')).version;
  if (got !== version) fail(`${name}: installed ${got}, packed ${version}`);
}
// One copy of the contract: the one auth-angular depends on is the root one.
if (existsSync(join(EXAMPLE, 'node_modules/@latchkey/auth-angular/node_modules/@latchkey/auth-contract'))) {
  fail('@latchkey/auth-angular got its own nested @latchkey/auth-contract: the versions do not match');
}
console.log(`installed ${tarballs.map(({ name, version }) => `${name}@${version}`).join(', ')} (not saved to package.json / package-lock.json)`);
