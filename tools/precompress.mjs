#!/usr/bin/env node
// `node tools/precompress.mjs <dir>` (run by `nx build web`, after Angular's
// build): writes `file.br` and `file.gz` beside every text file of the built
// PWA. The API sends them in place of the original when the request accepts
// them (apps/api/src/app/web/serve-web-app.ts), so compressing costs nothing
// per request and the best settings can be used.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Same as COMPRESSIBLE_TYPES in apps/api/src/app/web/content-coding.ts. */
const TEXT_EXTENSIONS = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.webmanifest', '.svg', '.txt', '.xml']);

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/** Every text file under `dir` (its path relative to `dir`), precompressed in br and gzip. */
async function precompress(dir) {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && TEXT_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
  const sizes = await Promise.all(
    files.map(async (file) => {
      const content = await readFile(file);
      const [br, gz] = await Promise.all([
        compressBrotli(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        compressGzip(content, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
      return { original: content.length, br: br.length, gz: gz.length };
    }),
  );
  const total = (key) => sizes.reduce((sum, s) => sum + s[key], 0);
  return { files: files.length, original: total('original'), br: total('br'), gz: total('gz') };
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tools/precompress.mjs <directory of the built web app>');
  process.exit(2);
}
const kB = (bytes) => `${Math.round(bytes / 1024)} kB`;
const { files, original, br, gz } = await precompress(dir);
console.log(`precompressed ${files} text files in ${dir}: ${kB(original)} → br ${kB(br)}, gzip ${kB(gz)}`);
