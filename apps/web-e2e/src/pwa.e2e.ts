import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openBrowser } from './support/browser';
import { BuiltServer, startBuiltServer } from '@latchkey/server-testing';
import { TestDatabase, createTestDatabase } from '@latchkey/server-testing';
import { BUILT_WEB, assertBuilt } from './support/workspace';

/**
 * The JavaScript of the first load: 95.8 KB gzip today (`npm run bench:web` prints it too), so a
 * regression of a few KB fails here. The goal is 80 KB; lower this as the figure drops.
 */
const INITIAL_JS_GZIP_BUDGET = 97 * 1000;

describe('the PWA as built', () => {
  beforeAll(() => assertBuilt());

  it(`loads at most ${INITIAL_JS_GZIP_BUDGET / 1000} KB of gzipped JavaScript initially`, async () => {
    const html = await readFile(join(BUILT_WEB, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(initial.length).toBeGreaterThan(0);
    let total = 0;
    for (const file of new Set(initial)) total += gzipSync(await readFile(join(BUILT_WEB, file)), { level: 9 }).length;
    console.log(`[web-e2e] initial JS: ${initial.length} files, ${(total / 1000).toFixed(1)} KB gzip`);
    expect(total).toBeLessThanOrEqual(INITIAL_JS_GZIP_BUDGET);
  });

  it('starts each script chunk with V8\'s compile hint, and the service worker manifest has the hashes of the files as served', async () => {
    const manifest = JSON.parse(await readFile(join(BUILT_WEB, 'ngsw.json'), 'utf8')) as { hashTable: Record<string, string> };
    const scripts = Object.keys(manifest.hashTable).filter((url) => /^\/(main|chunk)-[\w-]+\.js$/.test(url));
    expect(scripts.length).toBeGreaterThan(0);
    for (const [url, hash] of Object.entries(manifest.hashTable)) {
      const content = await readFile(join(BUILT_WEB, url));
      // A file changed after Angular hashed it would make the service worker refuse the whole app version.
      expect({ url, hash: createHash('sha1').update(content).digest('hex') }).toEqual({ url, hash });
      if (scripts.includes(url)) expect(content.subarray(0, 29).toString()).toBe('//# allFunctionsCalledOnLoad\n');
    }
  });

  describe('service worker', () => {
    let db: TestDatabase;
    let server: BuiltServer;

    beforeAll(async () => {
      db = await createTestDatabase();
      server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
    });
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it('registers, and leaves /api to the network (no API page from the shell, nothing cached)', async () => {
      const browser = await openBrowser({ baseURL: server.url, serviceWorkers: 'allow' });
      try {
        const { page } = browser;
        await page.goto('/');
        const scriptUrl = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
        expect(scriptUrl).toBe(`${server.url}/ngsw-worker.js`);

        await page.reload();
        expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        await page.evaluate(() => fetch('/api/v1/auth/providers').then((r) => r.json()));

        // A navigation to the API gets the API's answer, never the app shell.
        const health = await page.goto('/api/v1/health');
        expect(health?.headers()['content-type']).toContain('application/json');
        expect(await health?.json()).toEqual({ status: 'ok', db: 'up' });

        await page.goto('/');
        const cachedApiUrls = await page.evaluate(async () => {
          const urls: string[] = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            urls.push(...(await cache.keys()).map((request) => request.url).filter((url) => url.includes('/api/')));
          }
          return urls;
        });
        expect(cachedApiUrls).toEqual([]);
        expect(browser.problems()).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  });
});
