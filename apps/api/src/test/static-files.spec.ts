import type { IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { send } from './harness';
import { startTestApp, TestApp } from './test-app';

const INDEX_HTML = '<!doctype html><html><head><title>Latchkey static</title><base href="/"></head><body><app-root></app-root></body></html>';
const MAIN_JS = `console.log(${JSON.stringify('main '.repeat(200))});`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** What the built PWA holds (see dist/apps/web/browser), with the variants precompress makes. */
const FILES: Record<string, string | Buffer> = {
  'index.html': INDEX_HTML,
  'index.html.br': brotliCompressSync(INDEX_HTML),
  'index.html.gz': gzipSync(INDEX_HTML),
  'main-ABCD1234.js': MAIN_JS,
  'main-ABCD1234.js.br': brotliCompressSync(MAIN_JS),
  'main-ABCD1234.js.gz': gzipSync(MAIN_JS),
  'chunk-QFV6N4MQ.js': 'export const x = 1;',
  // A hashed text file without precompressed siblings is sent as it is.
  'styles-ACAT636M.css': 'body { margin: 0; }',
  // Only a gzip sibling: br is preferred, but gzip is what there is.
  'manifest.webmanifest': '{"name":"Latchkey","start_url":"/"}',
  'manifest.webmanifest.gz': gzipSync('{"name":"Latchkey","start_url":"/"}'),
  'ngsw.json': '{"configVersion":1}',
  'ngsw-worker.js': 'self.addEventListener("fetch", () => {});',
  'safety-worker.js': 'self.registration.unregister();',
  'worker-basic.min.js': 'self.registration.unregister();',
  'robots.txt': 'User-agent: *\nDisallow: /api/\n',
  'favicon.ico': Buffer.from([0, 0, 1, 0]),
  'icons/icon-192x192.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  'media/roboto-latin-GXWI36AZ.woff2': Buffer.from('wOF2-not-really'),
};

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent, not decoded. */
  body: Buffer;
}

/**
 * Static files (contract "Static files (the built PWA)"), served from a web
 * root inside a dot-directory, as when the checkout lives under `~/.cache/…`,
 * and from an ordinary one.
 */
describe.each([
  ['inside a dot-directory', join('.cache', 'web')],
  ['at an ordinary path', 'web'],
])('static files of the built PWA, web root %s', (_where, webRootUnderTmp) => {
  let t: TestApp;
  let tmp: string;

  /** A GET (or another method) on the app, returning the raw, still encoded bytes. */
  async function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
    const res = await send(t.url + path, { method, headers });
    return { status: res.status, headers: res.headers, body: res.bytes };
  }

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'latchkey-static-'));
    const webRoot = join(tmp, webRootUnderTmp);
    for (const [name, content] of Object.entries(FILES)) {
      await mkdir(dirname(join(webRoot, name)), { recursive: true });
      await writeFile(join(webRoot, name), content);
    }
    // Beside the web root, never reachable through it.
    await writeFile(join(webRoot, '..', 'secret.txt'), 'not for the web');
    await writeFile(join(webRoot, '.env'), 'SECRET=1');
    t = await startTestApp({}, { webRoot });
  });
  afterAll(async () => {
    await t?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  describe('client routes', () => {
    it.each(['/', '/login', '/account', '/login?error=access_denied', '/account/sessions', '/reset-password/'])(
      '%s answers index.html, revalidated on every use',
      async (path) => {
        const res = await raw(path);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body.toString()).toBe(INDEX_HTML);
        expect(res.headers['cache-control']).toBe('no-cache');
      },
    );

    it('answer index.html compressed when the request accepts it', async () => {
      const res = await raw('/login', { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(brotliDecompressSync(res.body).toString()).toBe(INDEX_HTML);
    });

    it('are GET and HEAD only: a POST to a client route is not answered with index.html', async () => {
      const res = await raw('/login', {}, 'POST');
      expect(res.status).toBe(404);
      expect(res.body.toString()).not.toContain('<app-root>');
    });
  });

  describe('missing files and the API', () => {
    it.each(['/nope.js', '/chunk-MISSING1.js', '/media/font-ZZZZZZZZ.woff2', '/icons/nope.png', '/nope.css'])(
      '%s (a missing file with an extension) is a JSON 404, never index.html',
      async (path) => {
        const res = await raw(path, { 'accept-encoding': 'br, gzip' });
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: 404, error: 'Not Found' });
      },
    );

    it.each(['/api/v1/nope', '/api/nope', '/api/v1/nope.js', '/api'])('%s is the API’s JSON 404', async (path) => {
      const res = await raw(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('leaves the API docs to Swagger', async () => {
      const res = await raw('/api/docs');
      expect(res.status).toBe(200);
      expect(res.body.toString()).toMatch(/swagger/i);
    });

    it.each(['/.env', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/icons/..%2f..%2fsecret.txt'])(
      'never serves dotfiles or anything outside the web root (%s)',
      async (path) => {
        const res = await raw(path);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.toString()).not.toMatch(/SECRET|not for the web|<app-root>/);
      },
    );

    it('does not serve the precompressed variants under their own names', async () => {
      for (const path of ['/main-ABCD1234.js.br', '/main-ABCD1234.js.gz']) {
        const res = await raw(path);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });
  });

  it('serves robots.txt as plain text', async () => {
    const res = await raw('/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body.toString()).toContain('User-agent: *');
  });

  describe('Cache-Control', () => {
    it.each([
      ['/main-ABCD1234.js', IMMUTABLE],
      ['/chunk-QFV6N4MQ.js', IMMUTABLE],
      ['/styles-ACAT636M.css', IMMUTABLE],
      ['/media/roboto-latin-GXWI36AZ.woff2', IMMUTABLE],
      ['/index.html', 'no-cache'],
      ['/manifest.webmanifest', 'no-cache'],
      ['/ngsw.json', 'no-cache'],
      ['/ngsw-worker.js', 'no-cache'],
      ['/safety-worker.js', 'no-cache'],
      ['/worker-basic.min.js', 'no-cache'],
      // Files without a hash in their name are revalidated too.
      ['/robots.txt', 'no-cache'],
      ['/favicon.ico', 'no-cache'],
      ['/icons/icon-192x192.png', 'no-cache'],
    ])('%s: %s', async (path, cacheControl) => {
      const res = await raw(path, { 'accept-encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe(cacheControl);
    });

    it('answers a revalidation with 304 when the file has not changed', async () => {
      const first = await raw('/ngsw.json');
      expect(first.headers['etag'] ?? first.headers['last-modified']).toBeDefined();
      const again = await raw('/ngsw.json', first.headers['etag'] ? { 'if-none-match': String(first.headers['etag']) } : { 'if-modified-since': String(first.headers['last-modified']) });
      expect(again.status).toBe(304);
    });
  });

  describe('compression', () => {
    it('sends br when accepted, with the original Content-Type and Vary: Accept-Encoding', async () => {
      const res = await raw('/main-ABCD1234.js', { 'accept-encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(brotliDecompressSync(res.body).toString()).toBe(MAIN_JS);
    });

    it('sends gzip when only gzip is accepted', async () => {
      const res = await raw('/main-ABCD1234.js', { 'accept-encoding': 'gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(gunzipSync(res.body).toString()).toBe(MAIN_JS);
    });

    it.each([
      ['no Accept-Encoding', {}],
      ['identity only', { 'accept-encoding': 'identity' }],
      ['br and gzip refused by q=0', { 'accept-encoding': 'br;q=0, gzip;q=0, deflate' }],
    ])('sends the file as it is with %s', async (_case, headers) => {
      const res = await raw('/main-ABCD1234.js', headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.body.toString()).toBe(MAIN_JS);
    });

    it('honours q-values: gzip when br is refused', async () => {
      const res = await raw('/main-ABCD1234.js', { 'accept-encoding': 'br;q=0, gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
    });

    it('falls back to gzip when a file has only a gzip variant', async () => {
      const res = await raw('/manifest.webmanifest', { 'accept-encoding': 'br, gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
      expect(gunzipSync(res.body).toString()).toBe(FILES['manifest.webmanifest']);
    });

    it('sends a text file without precompressed variants as it is, still with Vary', async () => {
      const res = await raw('/styles-ACAT636M.css', { 'accept-encoding': 'br, gzip' });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.body.toString()).toBe(FILES['styles-ACAT636M.css']);
    });

    it('answers HEAD like GET, without a body', async () => {
      const res = await raw('/main-ABCD1234.js', { 'accept-encoding': 'br' }, 'HEAD');
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-length']).toBe(String((FILES['main-ABCD1234.js.br'] as Buffer).length));
      expect(res.body.length).toBe(0);
    });

    it('answers an unsatisfiable Range with a 416, not a 500', async () => {
      const res = await raw('/robots.txt', { range: 'bytes=100000-' });
      expect(res.status).toBe(416);
    });

    it('never encodes binary files', async () => {
      const res = await raw('/media/roboto-latin-GXWI36AZ.woff2', { 'accept-encoding': 'br, gzip' });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body).toEqual(FILES['media/roboto-latin-GXWI36AZ.woff2']);
    });
  });

  describe('security headers', () => {
    it.each([
      ['index.html at /', '/'],
      ['a client route', '/login'],
      ['a compressed hashed file', '/main-ABCD1234.js'],
      ['robots.txt', '/robots.txt'],
      ['a missing file', '/nope.js'],
      ['a missing hashed chunk', '/chunk-MISSING1.js'],
      ['an unknown API path', '/api/v1/nope'],
    ])('are on %s', async (_case, path) => {
      const res = await raw(path, { 'accept-encoding': 'br, gzip' });
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});
