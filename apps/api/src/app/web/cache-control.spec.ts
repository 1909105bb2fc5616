import { cacheControlFor, IMMUTABLE, isHashedName, REVALIDATE } from './cache-control';

describe('cacheControlFor', () => {
  it.each([
    'main-Q66GV6XV.js',
    'chunk-4UZWE5SF.js',
    'polyfills-ARTDWLDI.js',
    'styles-ACAT636M.css',
    'media/roboto-latin-400-normal-GXWI36AZ.woff2',
    'main-ABCD1234.js',
    'main-Q66GV6XV.js.map',
  ])('keeps %s, whose name carries a hash, a year', (path) => {
    expect(isHashedName(path)).toBe(true);
    expect(cacheControlFor(path)).toBe(IMMUTABLE);
  });

  it.each([
    'index.html',
    'manifest.webmanifest',
    'ngsw.json',
    'ngsw-worker.js',
    'safety-worker.js',
    'worker-basic.min.js',
    'robots.txt',
    'favicon.ico',
    'icons/icon-192x192.png',
    'icons/icon-maskable-512x512.png',
    'logo-20240101.png',
    'chunk-abcd1234.js',
    'chunk-ABCD123.js',
    'ABCD1234.js',
  ])('revalidates %s, whose name never changes', (path) => {
    expect(cacheControlFor(path)).toBe(REVALIDATE);
  });
});
