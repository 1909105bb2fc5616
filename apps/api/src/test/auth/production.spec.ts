import { DEVICE_COOKIE_PATH, PRODUCTION_COOKIE_NAMES, REFRESH_COOKIE_PATH, XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { startTestApp, TestApp } from '../test-app';
import { Browser, setCookieOf, setCookiesOf, signUp } from '../harness';

/** ENV=production: `Secure` cookies under `__Host-`/`__Secure-` names, and HSTS. */
describe('auth in production', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({}, { production: true })));
  afterAll(() => t?.close());

  it('runs with the production switches', () => {
    expect(t.config.auth).toMatchObject({ isProduction: true, cookieNames: PRODUCTION_COOKIE_NAMES });
  });

  it('names the auth cookies __Host-access_token, __Secure-refresh_token and __Secure-lk_device, all Secure', async () => {
    const c = new Browser(t);
    const res = await c.register({ email: `prod-${Date.now()}@example.com`, password: 'correct horse battery' });
    expect(res.status).toBe(201);
    const names = setCookiesOf(res).map((cookie) => cookie.name);
    expect(names).toEqual(expect.arrayContaining(['__Host-access_token', '__Secure-refresh_token']));
    expect(names).not.toEqual(expect.arrayContaining(['access_token']));
    expect(names).not.toEqual(expect.arrayContaining(['refresh_token']));
    // __Host- demands Secure, Path=/ and no Domain; __Secure- demands Secure.
    expect(setCookieOf(res, '__Host-access_token')).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax', domain: undefined, maxAge: t.config.auth.accessTokenTtlSeconds });
    expect(setCookieOf(res, '__Secure-refresh_token')).toMatchObject({ secure: true, httpOnly: true, path: REFRESH_COOKIE_PATH, sameSite: 'Strict', maxAge: t.config.auth.refreshTokenTtlSeconds });
    expect(setCookieOf(res, '__Secure-lk_device')).toMatchObject({ secure: true, httpOnly: true, path: DEVICE_COOKIE_PATH, sameSite: 'Strict', maxAge: 7_776_000 });
    expect(names).not.toEqual(expect.arrayContaining(['lk_device']));
  });

  it('sets XSRF-TOKEN Secure', async () => {
    const res = await new Browser(t).get('auth/providers');
    expect(setCookieOf(res, XSRF_COOKIE_NAME)).toMatchObject({ secure: true, httpOnly: false, path: '/', sameSite: 'Lax' });
  });

  it('reads the prefixed cookies: me, refresh and logout work, and logout clears them with Max-Age=0 and Secure', async () => {
    const { client } = await signUp(t);
    expect((await client.me()).status).toBe(200);
    expect((await client.refresh()).status).toBe(200);
    const res = await client.logout();
    expect(res.status).toBe(204);
    expect(setCookieOf(res, '__Host-access_token')).toMatchObject({ maxAge: 0, path: '/', secure: true });
    expect(setCookieOf(res, '__Secure-refresh_token')).toMatchObject({ maxAge: 0, path: REFRESH_COOKIE_PATH, secure: true });
    expect((await client.me()).status).toBe(401);
  });

  it('ignores cookies under the development names', async () => {
    const { client } = await signUp(t);
    const plain = new Browser(t);
    plain.jar.set('access_token', client.currentAccessToken());
    expect((await plain.me()).status).toBe(401);
  });

  it('sends Strict-Transport-Security on API responses, errors and 404s', async () => {
    const c = new Browser(t);
    for (const res of [await c.get('auth/providers'), await c.me(), await c.get('nope')]) {
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    }
  });
});
