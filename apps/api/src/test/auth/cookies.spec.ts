import { REFRESH_COOKIE_PATH, XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { startTestApp, TestApp } from '../test-app';
import { Browser, decodeJwt, SetCookie, setCookieOf, signIn, signUp } from '../harness';
import { dataSourceOf, sessionRow, tokenHash } from './db';

const ACCESS_TTL = 1234;
const REFRESH_TTL = 5678;

/** Cookie attributes and the token lifetimes behind them, all from one AuthConfig (outside production). */
describe('auth cookies', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true', ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL), REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_TTL) })));
  afterAll(() => t?.close());

  const expectAccessCookie = (cookie: SetCookie) =>
    expect(cookie).toMatchObject({ httpOnly: true, path: '/', sameSite: 'Lax', maxAge: ACCESS_TTL, secure: false, domain: undefined });
  const expectRefreshCookie = (cookie: SetCookie, maxAge = REFRESH_TTL) =>
    expect(cookie).toMatchObject({ httpOnly: true, path: REFRESH_COOKIE_PATH, sameSite: 'Strict', maxAge, secure: false, domain: undefined });

  /** `exp - iat` = ACCESS_TOKEN_TTL_SECONDS = cookie Max-Age, and `accessTokenExpiresAt` is `exp`. */
  const expectAccessTokenLifetime = (cookie: SetCookie, body: { accessTokenExpiresAt: string }) => {
    const { header, payload } = decodeJwt(cookie.value);
    expect(header.alg).toBe('HS256');
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'sid', 'sub']);
    expect(payload.exp - payload.iat).toBe(ACCESS_TTL);
    expect(cookie.maxAge).toBe(payload.exp - payload.iat);
    expect(body.accessTokenExpiresAt).toBe(new Date(payload.exp * 1000).toISOString());
  };

  it('register sets the access and refresh cookies with the contract’s attributes and lifetimes', async () => {
    const c = new Browser(t);
    const res = await c.register({ email: `cookie-${Date.now()}@example.com`, password: 'correct horse battery' });
    expect(res.status).toBe(201);
    expectAccessCookie(setCookieOf(res, c.cookieNames.access));
    expectRefreshCookie(setCookieOf(res, c.cookieNames.refresh));
    expectAccessTokenLifetime(setCookieOf(res, c.cookieNames.access), res.body);
    expect(c.cookieNames).toEqual({ access: 'access_token', refresh: 'refresh_token', device: 'lk_device' });
  });

  it('login and refresh set them the same way', async () => {
    const { credentials } = await signUp(t);
    const c = new Browser(t);
    const login = await c.login(credentials);
    expectAccessCookie(setCookieOf(login, c.cookieNames.access));
    expectRefreshCookie(setCookieOf(login, c.cookieNames.refresh));
    expectAccessTokenLifetime(setCookieOf(login, c.cookieNames.access), login.body);

    const refresh = await c.refresh();
    expect(refresh.status).toBe(200);
    expectAccessCookie(setCookieOf(refresh, c.cookieNames.access));
    expectRefreshCookie(setCookieOf(refresh, c.cookieNames.refresh));
    expectAccessTokenLifetime(setCookieOf(refresh, c.cookieNames.access), refresh.body);
  });

  it('GET /auth/me reports the access token’s own expiry', async () => {
    const { client } = await signUp(t);
    const res = await client.me();
    expect(res.body.accessTokenExpiresAt).toBe(new Date(client.claims().exp * 1000).toISOString());
  });

  it('the session row expires REFRESH_TOKEN_TTL_SECONDS after login, as the refresh cookie does', async () => {
    const { client } = await signUp(t);
    const row = await sessionRow(t, client.sessionId());
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(REFRESH_TTL * 1000);
  });

  it('the refresh token is opaque, at least 256 bits, and the database holds only its SHA-256', async () => {
    const { client, credentials } = await signUp(t);
    await client.refresh();
    await signIn(t, credentials);
    const token = client.currentRefreshToken();
    expect(token.split('.')).toHaveLength(1);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);

    const db = dataSourceOf(t);
    const [stored] = await db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1`, [tokenHash(token)]);
    expect(stored.n).toBe(1);
    const tables: { table_name: string }[] = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const rawHex = Buffer.from(token, 'base64url').toString('hex');
    for (const { table_name } of tables) {
      const rows: { row: string }[] = await db.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) {
        expect(row).not.toContain(token);
        expect(row).not.toContain(rawHex);
      }
    }
  });

  it('XSRF-TOKEN is readable by scripts: not HttpOnly, Path=/, SameSite=Lax, not Secure outside production', async () => {
    const res = await new Browser(t).get('auth/providers');
    const cookie = setCookieOf(res, XSRF_COOKIE_NAME);
    expect(cookie).toMatchObject({ httpOnly: false, path: '/', sameSite: 'Lax', secure: false });
    expect(cookie.value.length).toBeGreaterThanOrEqual(32);
  });
});
