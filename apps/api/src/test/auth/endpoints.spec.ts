import { randomUUID } from 'node:crypto';
import { REFRESH_COOKIE_PATH } from '@latchkey/auth-contract';
import { startTestApp, TestApp } from '../test-app';
import { Browser, decodeJwt, expectApiError, PASSWORD, setCookieOf, signIn, signUp, uniqueEmail } from '../harness';
import { countRows, dataSourceOf, sessionRow } from './db';

/** Every row of the contract's endpoint table but Google's and health: success and each listed failure. */
describe('auth endpoints', () => {
  let t: TestApp;
  // Each client gets its own address, so the register limit counts them apart.
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
  afterAll(() => t?.close());

  const client = () => new Browser(t);

  describe('POST /auth/register', () => {
    it('creates the user, answers 201 {user, accessTokenExpiresAt} and sets both auth cookies', async () => {
      const c = client();
      const email = uniqueEmail('Reg');
      const res = await c.register({ email: email.toUpperCase(), password: PASSWORD, name: 'Ada Lovelace' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['accessTokenExpiresAt', 'user']);
      expect(res.body.user).toEqual({ id: expect.any(String), email: email.toLowerCase(), emailVerified: false, name: 'Ada Lovelace', picture: null, providers: ['password'] });
      expect(new Date(res.body.accessTokenExpiresAt).toISOString()).toBe(res.body.accessTokenExpiresAt);
      expect(setCookieOf(res, c.cookieNames.access).value).toBe(c.accessToken);
      expect(setCookieOf(res, c.cookieNames.refresh).value).toBe(c.refreshToken);
      expect(c.claims().sub).toBe(res.body.user.id);
      expect(res.text).not.toMatch(/argon2|password_?hash/i);
      expect((await c.me()).status).toBe(200);
    });

    it('keeps only an argon2id hash of the password, with OWASP’s parameters (19 MiB, 2 passes, 1 lane)', async () => {
      const email = uniqueEmail('Hash');
      expect((await client().register({ email, password: PASSWORD })).status).toBe(201);
      const [row] = await dataSourceOf(t).query(`SELECT password_hash FROM users WHERE email = $1`, [email.toLowerCase()]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('accepts a password of exactly 8 and of exactly 128 characters, and no name', async () => {
      for (const password of ['x'.repeat(8), 'y'.repeat(128)]) {
        const res = await client().register({ email: uniqueEmail(), password });
        expect(res.status).toBe(201);
        expect(res.body.user.name).toBeNull();
      }
    });

    it.each([
      ['a bad email', { email: 'not-an-email', password: PASSWORD }],
      ['a password under 8 characters', { email: uniqueEmail(), password: 'x'.repeat(7) }],
      ['a password over 128 characters', { email: uniqueEmail(), password: 'x'.repeat(129) }],
      ['no email', { password: PASSWORD }],
      ['no password', { email: uniqueEmail() }],
    ])('answers 400 to %s and creates no user', async (_case, body) => {
      const users = await countRows(t, 'users');
      const res = await client().post('auth/register', body);
      expectApiError(res, 400);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(access|refresh)_token=/)]));
      expect(await countRows(t, 'users')).toBe(users);
    });

    it('answers 409 when the email is taken, whatever its case, and keeps the first account', async () => {
      const { credentials } = await signUp(t);
      for (const email of [credentials.email, credentials.email.toUpperCase()]) {
        const res = await client().register({ email, password: 'another password' });
        expectApiError(res, 409);
        expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^access_token=/)]));
      }
      expect((await client().login(credentials)).status).toBe(200);
    });
  });

  describe('POST /auth/login', () => {
    it('answers 200 {user, accessTokenExpiresAt} with new cookies and a new session; email case does not matter', async () => {
      const { credentials, user, client: first } = await signUp(t);
      const c = client();
      const res = await c.login({ email: credentials.email.toUpperCase(), password: credentials.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user, accessTokenExpiresAt: expect.any(String) });
      expect(setCookieOf(res, c.cookieNames.access).value).toBe(c.accessToken);
      expect(setCookieOf(res, c.cookieNames.refresh).value).toBe(c.refreshToken);
      expect(c.sessionId()).not.toBe(first.sessionId());
    });

    it('answers 401 with one and the same body for an unknown email and a wrong password', async () => {
      const { credentials } = await signUp(t);
      const unknown = await client().login({ email: uniqueEmail('nobody'), password: credentials.password });
      const wrong = await client().login({ email: credentials.email, password: 'wrong password!' });
      expectApiError(unknown, 401);
      expectApiError(wrong, 401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(access|refresh)_token=/)]));
    });
  });

  describe('POST /auth/refresh', () => {
    it('answers 200 {user, accessTokenExpiresAt} with a new access and a new refresh cookie', async () => {
      const { client: c, user } = await signUp(t);
      const before = { access: c.accessToken, refresh: c.refreshToken };
      const res = await c.refresh();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user, accessTokenExpiresAt: expect.any(String) });
      expect(setCookieOf(res, c.cookieNames.refresh).value).not.toBe(before.refresh);
      expect(setCookieOf(res, c.cookieNames.access).value).toBe(c.accessToken);
      expect(c.sessionId()).toBe(decodeJwt(before.access ?? '').payload.sid);
      expect((await c.me()).status).toBe(200);
    });

    it.each([
      ['no refresh cookie', undefined],
      ['a malformed refresh cookie', 'not a token'],
      ['a well-formed but unknown refresh token', 'A'.repeat(43)],
    ])('answers 401 to %s', async (_case, token) => {
      const c = client();
      if (token) c.jar.set(c.cookieNames.refresh, token, REFRESH_COOKIE_PATH);
      const res = await c.refresh();
      expectApiError(res, 401);
    });

    it('answers 401 to the refresh token of a revoked session', async () => {
      const { client: c } = await signUp(t);
      const stale = c.fork();
      expect((await c.logout()).status).toBe(204);
      expectApiError(await stale.refresh(), 401);
    });
  });

  describe('POST /auth/logout', () => {
    it('answers 204, revokes the session and clears both cookies with Max-Age=0 and their paths', async () => {
      const { client: c } = await signUp(t);
      const sid = c.sessionId();
      const access = c.currentAccessToken();
      const res = await c.logout();
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(setCookieOf(res, c.cookieNames.access)).toMatchObject({ value: '', maxAge: 0, path: '/' });
      expect(setCookieOf(res, c.cookieNames.refresh)).toMatchObject({ value: '', maxAge: 0, path: REFRESH_COOKIE_PATH });
      expect((await sessionRow(t, sid)).revoked_at).not.toBeNull();
      expectApiError(await c.bearer('get', 'auth/me', access), 401);
    });

    it.each([
      ['no cookies at all', {}],
      ['a garbage refresh cookie', { refresh: 'garbage' }],
      ['an unknown refresh token and a garbage access cookie', { refresh: 'B'.repeat(43), access: 'x.y.z' }],
    ])('never fails: 204 with %s', async (_case, cookies: { refresh?: string; access?: string }) => {
      const c = client();
      if (cookies.refresh) c.jar.set(c.cookieNames.refresh, cookies.refresh, REFRESH_COOKIE_PATH);
      if (cookies.access) c.jar.set(c.cookieNames.access, cookies.access);
      const res = await c.logout();
      expect(res.status).toBe(204);
      expect(setCookieOf(res, c.cookieNames.access).maxAge).toBe(0);
    });

    it('ends the session named by the access token when the refresh cookie is gone', async () => {
      const { client: c } = await signUp(t);
      const sid = c.sessionId();
      c.jar.delete(c.cookieNames.refresh);
      expect((await c.logout()).status).toBe(204);
      expect((await sessionRow(t, sid)).revoked_reason).toBe('logout');
    });
  });

  describe('POST /auth/logout-all', () => {
    it('answers 204 and revokes every session of the user, and no one else’s', async () => {
      const { client: a, credentials } = await signUp(t);
      const b = await signIn(t, credentials);
      const stranger = (await signUp(t)).client;
      const res = await a.logoutAll();
      expect(res.status).toBe(204);
      expect(setCookieOf(res, a.cookieNames.access).maxAge).toBe(0);
      expectApiError(await b.me(), 401);
      expectApiError(await b.refresh(), 401);
      expect((await sessionRow(t, b.sessionId())).revoked_reason).toBe('logout_all');
      expect((await stranger.me()).status).toBe(200);
    });

    it('answers 401 without an access token', async () => {
      expectApiError(await client().logoutAll(), 401);
    });
  });

  describe('GET /auth/me', () => {
    it('answers 200 {user, accessTokenExpiresAt} for the caller', async () => {
      const { client: c, user } = await signUp(t);
      const res = await c.me();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user, accessTokenExpiresAt: new Date(c.claims().exp * 1000).toISOString() });
    });

    it('answers 401 without an access token', async () => {
      expectApiError(await client().me(), 401);
    });
  });

  describe('GET /auth/sessions', () => {
    it('answers 200 with the caller’s live sessions, the current one marked', async () => {
      const { client: a, credentials } = await signUp(t);
      const b = await signIn(t, credentials);
      const res = await a.sessions();
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
      for (const session of res.body) {
        expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ipAddress', 'lastUsedAt', 'userAgent']);
        for (const field of ['createdAt', 'lastUsedAt', 'expiresAt']) expect(new Date(session[field]).toISOString()).toBe(session[field]);
      }
      const byId = Object.fromEntries(res.body.map((s: { id: string }) => [s.id, s]));
      expect(byId[a.sessionId()]).toMatchObject({ current: true, userAgent: a.userAgent, ipAddress: a.ip });
      expect(byId[b.sessionId()]).toMatchObject({ current: false, userAgent: b.userAgent, ipAddress: b.ip });
      expect((await b.sessions()).body.find((s: { current: boolean }) => s.current).id).toBe(b.sessionId());
    });

    it('answers 401 without an access token', async () => {
      expectApiError(await client().sessions(), 401);
    });
  });

  describe('DELETE /auth/sessions/:id', () => {
    it('answers 204 and ends that session at once', async () => {
      const { client: a, credentials } = await signUp(t);
      const b = await signIn(t, credentials);
      const res = await a.deleteSession(b.sessionId());
      expect(res.status).toBe(204);
      expectApiError(await b.me(), 401);
      expectApiError(await b.refresh(), 401);
      expect((await a.me()).status).toBe(200);
      expect((await a.sessions()).body.map((s: { id: string }) => s.id)).toEqual([a.sessionId()]);
    });

    it('answers 404 for another user’s session, which lives on', async () => {
      const { client: a } = await signUp(t);
      const { client: b } = await signUp(t);
      expectApiError(await a.deleteSession(b.sessionId()), 404);
      expect((await b.me()).status).toBe(200);
      expect((await sessionRow(t, b.sessionId())).revoked_at).toBeNull();
    });

    it.each([
      ['an unknown id', randomUUID()],
      ['an id that is not a uuid', 'not-a-uuid'],
      ['an id that is SQL', "1' OR '1'='1"],
    ])('answers 404 for %s', async (_case, id) => {
      const { client: a } = await signUp(t);
      expectApiError(await a.deleteSession(id), 404);
    });

    it('answers 404 for a session already ended', async () => {
      const { client: a, credentials } = await signUp(t);
      const b = await signIn(t, credentials);
      const sid = b.sessionId();
      expect((await b.logout()).status).toBe(204);
      expectApiError(await a.deleteSession(sid), 404);
    });

    it('answers 401 without an access token', async () => {
      expectApiError(await client().deleteSession(randomUUID()), 401);
    });
  });

  describe('GET /auth/providers', () => {
    it('answers 200 {password: true, google: false} when Google is not configured', async () => {
      const res = await client().get('auth/providers');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ password: true, google: false });
    });
  });
});
