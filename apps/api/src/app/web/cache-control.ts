import { posix } from 'node:path';

/** For files whose name changes whenever their content does. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cached, but revalidated (ETag / Last-Modified) on every use. */
export const REVALIDATE = 'no-cache';

/**
 * Angular's build names bundles `main-HASH.js`, `chunk-HASH.js`,
 * `styles-HASH.css`, `media/<name>-HASH.woff2`: eight upper-case letters and
 * digits (esbuild's base32), at least one a letter so that a date such as
 * `logo-20240101.png` never passes for a hash.
 */
const HASHED_NAME = /^.+-(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8}(\.[A-Za-z0-9]+)+$/;

/** The entry points and the service worker's files: their names never change, so they must always be revalidated. */
const ENTRY_POINTS = new Set(['index.html', 'manifest.webmanifest', 'ngsw.json', 'ngsw-worker.js', 'safety-worker.js', 'worker-basic.min.js']);

export function isHashedName(path: string): boolean {
  return HASHED_NAME.test(posix.basename(path));
}

/**
 * The Cache-Control of a file of the web app, by its path under the web
 * root: a year for hashed names, revalidation for everything else (a new
 * build may change it under the same name).
 */
export function cacheControlFor(path: string): string {
  const name = posix.basename(path);
  return !ENTRY_POINTS.has(name) && HASHED_NAME.test(name) ? IMMUTABLE : REVALIDATE;
}
