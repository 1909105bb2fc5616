// Packs the built Latchkey libraries and installs the tarballs into one example, the
// way an outside app gets them from a registry:
//   1. npm pack dist/libs/auth/<lib>  →  examples/.packs/*.tgz
//   2. npm install --no-save <the tarballs>
//
// Why --no-save (and not `file:` tarball dependencies): a tarball's integrity hash
// changes with every library build, so a lock that recorded it would be stale after the
// next build and `npm ci` would refuse it. Each example's package.json and lock pin only
// public packages, so `npm ci` stays honest; this adds Latchkey on top. Run it after every
// `npm ci` (which removes extraneous packages) and after every library rebuild.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = dirname(fileURLToPath(import.meta.url));
const WORKSPACE = resolve(EXAMPLES, '..');
const PACKS = join(EXAMPLES, '.packs');

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

/**
 * @param {object} options
 * @param {string} options.example the example's folder
 * @param {string[]} options.libraries dist folders under dist/libs/auth, e.g. ['contract', 'nest']
 * @param {string} options.installedMarker a package the example's own install provides (checked first)
 * @param {string} options.build the workspace command that builds the libraries
 * @param {string[]} [options.singletons] packages that must exist exactly once (a second copy breaks DI, metadata)
 */
export function installLatchkey({ example, libraries, installedMarker, build, singletons = [] }) {
  const name = relative(EXAMPLES, example);
  if (!existsSync(join(example, 'node_modules', installedMarker))) fail(`install the example first: npm --prefix examples/${name} ci --no-audit --no-fund`);

  // examples/.packs is shared by the examples: only these tarballs are (over)written.
  mkdirSync(PACKS, { recursive: true });
  const tarballs = libraries.map((lib) => {
    const dist = join(WORKSPACE, 'dist/libs/auth', lib);
    const manifest = join(dist, 'package.json');
    if (!existsSync(manifest)) fail(`${relative(process.cwd(), dist)} is missing: run \`${build}\` in the workspace first`);
    const { name: pkg, version, main, types, typings } = JSON.parse(readFileSync(manifest, 'utf8'));
    // A build cleans its output folder first: a half-written dist must not be packed.
    for (const entry of [main, types ?? typings].filter(Boolean)) {
      if (!existsSync(join(dist, entry))) fail(`${relative(process.cwd(), join(dist, entry))} is missing (a build still running, or a failed one?): rebuild and retry`);
    }
    const [packed] = JSON.parse(npm(['pack', '--pack-destination', PACKS, '--json', '--silent'], dist));
    const file = join(PACKS, packed.filename);
    console.log(`packed ${pkg}@${version} → ${relative(example, file)} (${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} kB)`);
    return { pkg, version, file };
  });

  const kept = ['package-lock.json', 'package.json'].map((file) => [file, fileHash(join(example, file))]);
  npm(['install', '--no-save', '--no-audit', '--no-fund', ...tarballs.map(({ file }) => relative(example, file))], example);
  for (const [file, hash] of kept) if (fileHash(join(example, file)) !== hash) fail(`${file} changed: the tarballs must stay out of it`);

  for (const { pkg, version } of tarballs) {
    const installed = join(example, 'node_modules', pkg, 'package.json');
    if (!existsSync(installed)) fail(`${pkg} is not in node_modules after npm install`);
    const got = JSON.parse(readFileSync(installed, 'utf8')).version;
    if (got !== version) fail(`${pkg}: installed ${got}, packed ${version}`);
  }
  // One copy of each: `npm ls <pkg> --all --parseable` prints one path per copy.
  for (const pkg of ['@latchkey/auth-contract', ...singletons]) {
    const result = spawnSync('npm', ['ls', pkg, '--all', '--parseable'], { cwd: example, encoding: 'utf8' });
    const copies = [...new Set(result.stdout.split('\n').filter((line) => line.endsWith(`/node_modules/${pkg}`)))];
    if (copies.length !== 1) fail(`${pkg}: expected one copy in node_modules, found ${copies.length}:\n  ${copies.join('\n  ')}`);
  }
  console.log(`installed ${tarballs.map(({ pkg, version }) => `${pkg}@${version}`).join(', ')} (not saved to package.json / package-lock.json)`);
}
