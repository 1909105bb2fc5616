import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { startTestApp, TestApp } from '../test-app';
import { Answer, Browser, expectApiError, setCookieOf, setCookiesOf, signIn, signUp } from '../harness';
import { rowCounts, sessionRow } from './db';

const INDEX_HTML = '<!doctype html><html><head><title>Latchkey test</title></head><body><app-root></app-root></body></html>';

/** The contract's security headers, on every kind of response; no HSTS outside production. */
function expectSecurityHeaders(res: Answer): void {
  const h = res.headers;
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(h['permissions-policy']).toMatch(/(^|[ ,])microphone=\(\)/);
  const csp = (h['content-security-policy'] ?? '') as string;
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
  expect(directives.get('default-src')).toBe("'self'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['x-powered-by']).toBeUndefined();
  expect(h['strict-transport-security']).toBeUndefined();
}

/**
 * CSRF (double submit with Angular's names, Bearer exempt) and the headers on
 * every kind of response, on an app that also serves a web root.
 */
describe('CSRF and response headers', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'latchkey-web-'));
    await writeFile(join(webRoot, 'index.html'), INDEX_HTML);
    await writeFile(join(webRoot, 'main.js'), 'console.log("hi");');
    t = await startTestApp({ TRUST_PROXY: 'true' }, { webRoot });
  });
  afterAll(async () => {
    await t?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  describe('CSRF', () => {
    describe('unsafe methods under /api/v1', () => {
      it('answer 403 without X-XSRF-TOKEN, and do nothing', async () => {
        const c = new Browser(t);
        await c.get('auth/providers');
        expect(c.xsrfToken).toBeDefined();
        const before = await rowCounts(t);
        const res = await c.register({ email: `csrf-${randomUUID()}@example.com`, password: 'correct horse battery' }, { xsrf: false });
        expectApiError(res, 403);
        expect(setCookiesOf(res).map((cookie) => cookie.name)).not.toContain(c.cookieNames.access);
        expect(await rowCounts(t)).toEqual(before);
      });

      it('answer 403 when the header does not equal the cookie', async () => {
        const { credentials } = await signUp(t);
        const c = new Browser(t);
        await c.get('auth/providers');
        const token = c.xsrfToken ?? '';
        // Same length, one character off: the comparison is of the whole value.
        const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
        for (const value of [wrong, token.slice(1), `${token}x`, '']) {
          expectApiError(await c.login(credentials, { xsrf: value }), 403);
        }
      });

      it('answer 403 when the header comes without the cookie', async () => {
        const { credentials } = await signUp(t);
        const res = await new Browser(t).login(credentials, { xsrf: 'made-up-token' });
        expectApiError(res, 403);
      });

      it('succeed when the header echoes the cookie', async () => {
        const { credentials } = await signUp(t);
        const c = new Browser(t);
        expect((await c.login(credentials)).status).toBe(200);
      });

      it('protect logout, session deletion and refresh from cross-site requests', async () => {
        const { client, credentials } = await signUp(t);
        const other = await signIn(t, credentials);
        expectApiError(await client.logout({ xsrf: false }), 403);
        expectApiError(await client.deleteSession(other.sessionId(), { xsrf: false }), 403);
        expectApiError(await client.logoutAll({ xsrf: false }), 403);
        const refreshToken = client.refreshToken;
        expectApiError(await client.refresh({ xsrf: false }), 403);
        expect(client.refreshToken).toBe(refreshToken);
        expect((await sessionRow(t, client.sessionId())).revoked_at).toBeNull();
        expect((await other.me()).status).toBe(200);
      });

      it('are exempt with Authorization: Bearer and no cookies', async () => {
        const { client, credentials } = await signUp(t);
        const other = await signIn(t, credentials);
        const service = new Browser(t);
        expect((await service.bearer('delete', `auth/sessions/${other.sessionId()}`, client.currentAccessToken())).status).toBe(204);
        expect((await other.me()).status).toBe(401);
        expect((await service.bearer('post', 'auth/logout-all', client.currentAccessToken())).status).toBe(204);
        expect((await client.me()).status).toBe(401);
      });

      it('with a Bearer header authenticate by that header only, never by the cookie', async () => {
        const { client } = await signUp(t);
        const res = await client.send('post', 'auth/logout-all', { headers: { Authorization: 'Bearer not-a-token' } });
        expectApiError(res, 401);
        expect((await client.me()).status).toBe(200);
      });

      it.each(['/API/V1/auth/logout-all', '/Api/v1/auth/logout', '/api/V1/auth/refresh', '/API/V1/AUTH/LOGOUT-ALL'])(
        'are checked whatever the letter case of the path: %s',
        async (path) => {
          const { client } = await signUp(t);
          const refreshToken = client.refreshToken;
          const res = await client.send('post', path, { xsrf: false });
          expectApiError(res, 403);
          expect(client.refreshToken).toBe(refreshToken);
          expect((await sessionRow(t, client.sessionId())).revoked_at).toBeNull();
          expect((await client.me()).status).toBe(200);
        },
      );

      it('hand out the XSRF cookie whatever the letter case of the path', async () => {
        const res = await new Browser(t).get('/API/V1/auth/providers');
        expect(res.status).toBe(200);
        expect(setCookieOf(res, XSRF_COOKIE_NAME).value).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      });

      it('are not exempt with an Authorization: Bearer header that is not a valid access token', async () => {
        const { client, credentials } = await signUp(t);
        for (const bearer of ['garbage', 'a.b.c', `${client.currentAccessToken()}x`]) {
          const headers = { Authorization: `Bearer ${bearer}` };
          const refreshToken = client.refreshToken;
          expectApiError(await client.refresh({ xsrf: false, headers }), 403);
          expect(client.refreshToken).toBe(refreshToken);
          expectApiError(await client.logout({ xsrf: false, headers }), 403);
          expectApiError(await client.logoutAll({ xsrf: false, headers }), 403);
          expectApiError(await new Browser(t).login(credentials, { xsrf: false, headers }), 403);
        }
        expect((await sessionRow(t, client.sessionId())).revoked_at).toBeNull();
        expect((await client.me()).status).toBe(200);
      });

      it('are never exempt on refresh, logout, login and register, even with a valid Bearer token', async () => {
        const { client, credentials } = await signUp(t);
        const headers = { Authorization: `Bearer ${client.currentAccessToken()}` };
        const refreshToken = client.refreshToken;
        expectApiError(await client.refresh({ xsrf: false, headers }), 403);
        expect(client.refreshToken).toBe(refreshToken);
        expectApiError(await client.logout({ xsrf: false, headers }), 403);
        expectApiError(await new Browser(t).login(credentials, { xsrf: false, headers }), 403);
        expectApiError(await new Browser(t).register({ email: `csrf-${randomUUID()}@example.com`, password: 'correct horse battery' }, { xsrf: false, headers }), 403);
        // Nor with a trailing slash or another letter case.
        expectApiError(await client.send('post', '/api/v1/auth/refresh/', { xsrf: false, headers }), 403);
        expectApiError(await client.send('post', '/API/V1/Auth/Logout', { xsrf: false, headers }), 403);
        expect((await sessionRow(t, client.sessionId())).revoked_at).toBeNull();
        expect((await client.me()).status).toBe(200);
      });
    });

    it('safe methods need no header', async () => {
      const { client } = await signUp(t);
      const res = await client.me({ xsrf: false });
      expect(res.status).toBe(200);
    });

    describe('the XSRF-TOKEN cookie', () => {
      it.each([
        ['a 200', 'get', '/api/v1/auth/providers', 200],
        ['the health check', 'get', '/api/v1/health', 200],
        ['a 401', 'get', '/api/v1/auth/me', 401],
        ['a 403', 'post', '/api/v1/auth/logout', 403],
        ['a 404', 'get', '/api/v1/no-such-route', 404],
        ['a 404 of an unsafe method', 'delete', '/api/v1/no-such-route', 403],
      ] as const)('is set on %s when the request had none', async (_case, method, path, status) => {
        const res = await new Browser(t).send(method, path, { xsrf: false });
        expect(res.status).toBe(status);
        expect(setCookieOf(res, XSRF_COOKIE_NAME).value).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      });

      it('is not replaced when the request has one', async () => {
        const c = new Browser(t);
        await c.get('auth/providers');
        const token = c.xsrfToken;
        const res = await c.get('auth/providers');
        expect(setCookiesOf(res).map((cookie) => cookie.name)).not.toContain(XSRF_COOKIE_NAME);
        expect(c.xsrfToken).toBe(token);
      });

      it('differs between browsers', async () => {
        const [a, b] = await Promise.all([new Browser(t).get('/api/v1/auth/providers'), new Browser(t).get('/api/v1/auth/providers')]);
        expect(setCookieOf(a, XSRF_COOKIE_NAME).value).not.toBe(setCookieOf(b, XSRF_COOKIE_NAME).value);
      });

      it('is not set outside /api/v1', async () => {
        const res = await new Browser(t).get('/api/docs');
        expect(setCookiesOf(res).map((cookie) => cookie.name)).not.toContain(XSRF_COOKIE_NAME);
      });
    });
  });

  describe('security headers', () => {
    it.each([
      ['an API 200', () => new Browser(t).get('/api/v1/auth/providers'), 200],
      ['an API 401', () => new Browser(t).get('/api/v1/auth/me'), 401],
      ['an API 403', () => new Browser(t).send('post', '/api/v1/auth/login', { body: {}, xsrf: false }), 403],
      ['an API 404', () => new Browser(t).get('/api/v1/no-such-route'), 404],
      ['a malformed-JSON 400', () => new Browser(t).send('post', '/api/v1/auth/login', { body: '{"email":', xsrf: false }), 400],
      ['an oversized-body 413', () => new Browser(t).send('post', '/api/v1/auth/login', { body: JSON.stringify({ email: 'x'.repeat(101 * 1024) }), xsrf: false }), 413],
      ['the health check', () => new Browser(t).get('/api/v1/health'), 200],
      ['the web app at /', () => new Browser(t).get('/'), 200],
      ['a static file', () => new Browser(t).get('/main.js'), 200],
      ['the API docs', () => new Browser(t).get('/api/docs'), 200],
    ])('are on %s', async (_case, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expectSecurityHeaders(res);
    });

    it('are on a client-side route of the web app and on a missing static file', async () => {
      for (const path of ['/account', '/missing.png']) {
        const res = await new Browser(t).get(path);
        expect(res.status).toBeLessThan(500);
        expectSecurityHeaders(res);
      }
    });

    it('serve the web app itself at /', async () => {
      const res = await new Browser(t).get('/');
      expect(res.text).toContain('<app-root>');
    });
  });

  describe('Cache-Control: no-store', () => {
    it('is on every auth response carrying user data or cookies', async () => {
      const { client, credentials } = await signUp(t);
      const fresh = new Browser(t);
      const responses = {
        login: await fresh.login(credentials),
        refresh: await fresh.refresh(),
        me: await fresh.me(),
        sessions: await fresh.sessions(),
        logout: await fresh.logout(),
        logoutAll: await client.logoutAll(),
      };
      for (const [name, res] of Object.entries(responses)) {
        expect({ name, status: res.status < 300, cacheControl: res.headers['cache-control'] }).toEqual({ name, status: true, cacheControl: expect.stringMatching(/no-store/) });
      }
    });

    it('is on register', async () => {
      const c = new Browser(t);
      const res = await c.register({ email: `cache-${Date.now()}@example.com`, password: 'correct horse battery' });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toMatch(/no-store/);
    });

    it('is on any API response that sets the XSRF cookie', async () => {
      for (const path of ['/api/v1/auth/providers', '/api/v1/health', '/api/v1/no-such-route']) {
        const res = await new Browser(t).get(path);
        expect(res.headers['set-cookie']).toBeDefined();
        expect({ path, cacheControl: res.headers['cache-control'] }).toEqual({ path, cacheControl: expect.stringMatching(/no-store/) });
      }
    });
  });
});
