#!/usr/bin/env node
// `node apps/web/tools/compile-hints.mjs <dir>` (run by `nx build web`, after Angular's build,
// before tools/precompress.mjs): starts every script chunk of the built PWA with V8's explicit
// compile hint, `//# allFunctionsCalledOnLoad`. Chrome (136+) then compiles the file's functions
// while it streams the download, on a background thread, instead of one by one on the main
// thread the first time each runs: the first load's long tasks (bootstrap, the first page's
// render) lose most of their compile time. Other browsers read a comment. The service worker's
// manifest (ngsw.json) lists a SHA-1 of each file, so the hashes of the changed files are
// written again; the file names keep Angular's content hashes (the change is the same each build).
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HINT = '//# allFunctionsCalledOnLoad\n';
/** Angular's output chunks; not the service worker scripts (ngsw-worker.js, safety-worker.js, …). */
const CHUNK = /^(main|chunk|polyfills)-[\w-]+\.js$/;

const dir = process.argv[2];
if (!dir) throw new Error('usage: compile-hints.mjs <built browser dir>');

const sha1 = (content) => createHash('sha1').update(content).digest('hex');
const files = (await readdir(dir)).filter((name) => CHUNK.test(name));
const hashes = {};
for (const name of files) {
  const file = join(dir, name);
  const code = await readFile(file, 'utf8');
  const hinted = code.startsWith(HINT) ? code : HINT + code;
  if (hinted !== code) await writeFile(file, hinted);
  hashes[`/${name}`] = sha1(hinted);
}

const manifestFile = join(dir, 'ngsw.json');
const manifest = JSON.parse(await readFile(manifestFile, 'utf8').catch(() => 'null'));
if (manifest?.hashTable) {
  for (const [url, hash] of Object.entries(hashes)) if (url in manifest.hashTable) manifest.hashTable[url] = hash;
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
}
console.log(`compile hints in ${files.length} scripts of ${dir}${manifest ? ' (ngsw.json hashes updated)' : ''}`);
