#!/usr/bin/env node
// Packs the built Latchkey libraries and installs the tarballs into this example,
// the way an outside app gets them from a registry:
//   1. npm pack dist/libs/auth/contract and dist/libs/auth/nest  →  examples/.packs/*.tgz
//   2. npm install --no-save ../.packs/latchkey-auth-contract-0.1.0.tgz ../.packs/latchkey-auth-nest-0.1.0.tgz
//
// Why --no-save (and not `file:` tarball dependencies): a tarball's integrity hash changes
// with every library build, so a lock that recorded it would be stale after the next
// `nx build` and `npm ci` would refuse it. package.json and package-lock.json pin only the
// public packages (Nest, TypeORM, pg, ...), so `npm ci` stays honest; this script adds
// Latchkey on top. Run it after every `npm ci` (which removes extraneous packages) and
// after every library rebuild.
//
// Needs the libraries built first, from the workspace root:
//   NX_DAEMON=false npx nx build auth-nest        (builds auth-contract first)
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
  { name: '@latchkey/auth-nest', dist: join(WORKSPACE, 'dist/libs/auth/nest') },
];
/** Packages that must exist exactly once in node_modules (a second copy breaks Nest's DI and TypeORM's metadata). */
const SINGLETONS = ['@nestjs/core', '@nestjs/common', 'typeorm', '@nestjs/typeorm', 'reflect-metadata', 'class-validator'];

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

const fileHash = (file) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null);

if (!existsSync(join(EXAMPLE, 'node_modules', '@nestjs', 'core'))) {
  fail('install the example first: npm --prefix examples/nest-host ci --no-audit --no-fund');
}

// Only our own tarballs are replaced: examples/.packs is shared with the other examples.
mkdirSync(PACKS, { recursive: true });
const tarballs = LIBRARIES.map(({ name, dist }) => {
  const manifest = join(dist, 'package.json');
  if (!existsSync(manifest)) fail(`${relative(process.cwd(), dist)} is missing: run \`NX_DAEMON=false npx nx build auth-nest\` in the workspace first`);
  const { name: built, version, main, types } = JSON.parse(readFileSync(manifest, 'utf8'));
  if (built !== name) fail(`${manifest} is ${built}, expected ${name}`);
  // A build cleans its output folder first: a half-written dist must not be packed.
  for (const entry of [main, types].filter(Boolean)) {
    if (!existsSync(join(dist, entry))) fail(`${relative(process.cwd(), join(dist, entry))} is missing (a build still running, or a failed one?): rebuild and retry`);
  }
  const [packed] = JSON.parse(npm(['pack', '--pack-destination', PACKS, '--json', '--silent'], dist));
  const file = join(PACKS, packed.filename);
  console.log(`packed ${name}@${version} → ${relative(EXAMPLE, file)} (${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} kB)`);
  return { name, version, file };
});

const lock = join(EXAMPLE, 'package-lock.json');
const manifestFile = join(EXAMPLE, 'package.json');
const before = [fileHash(lock), fileHash(manifestFile)];
npm(['install', '--no-save', '--no-audit', '--no-fund', ...tarballs.map(({ file }) => relative(EXAMPLE, file))], EXAMPLE);
const after = [fileHash(lock), fileHash(manifestFile)];
if (after[0] !== before[0]) fail('package-lock.json changed: the tarballs must stay out of the committed lock');
if (after[1] !== before[1]) fail('package.json changed: the tarballs must stay out of it');

for (const { name, version } of tarballs) {
  const installed = join(EXAMPLE, 'node_modules', name, 'package.json');
  if (!existsSync(installed)) fail(`${name} is not in node_modules after npm install`);
  const got = JSON.parse(readFileSync(installed, 'utf8')).version;
  if (got !== version) fail(`${name}: installed ${got}, packed ${version}`);
}

// One copy of each singleton: `npm ls <pkg> --all --parseable` prints one path per copy.
for (const pkg of SINGLETONS) {
  const result = spawnSync('npm', ['ls', pkg, '--all', '--parseable'], { cwd: EXAMPLE, encoding: 'utf8' });
  const copies = [...new Set(result.stdout.split('\n').filter((line) => line.endsWith(`/node_modules/${pkg}`)))];
  if (copies.length !== 1) fail(`${pkg}: expected one copy in node_modules, found ${copies.length}:\n  ${copies.join('\n  ')}`);
}
console.log(
  `installed ${tarballs.map(({ name, version }) => `${name}@${version}`).join(', ')} (not saved to package.json / package-lock.json); one copy each of ${SINGLETONS.join(', ')}`,
);
