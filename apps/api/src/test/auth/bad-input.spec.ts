import { randomBytes, randomUUID } from 'node:crypto';
import { PRODUCTION_TEST_SECRET, startTestApp, TestApp } from '../test-app';
import { Browser, expectApiError, expectThrottled, PASSWORD, SignedUp, signJwt, signUp, uniqueEmail, unsignedJwt, withPayload } from '../harness';
import { countRows, dataSourceOf, rowCounts } from './db';

/** Bad input of every kind: a 4xx in Nest's shape, never a 500 or a stack, never a row written. */
describe('bad input', () => {
  let t: TestApp;
  let known: SignedUp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    known = await signUp(t);
  });
  afterAll(() => t?.close());

  /** Sends `body` with a fresh XSRF token and expects `status` and no new rows. */
  async function expectRefused(path: string, body: object | string, status: number, headers: Record<string, string> = {}) {
    const before = await rowCounts(t);
    const res = await new Browser(t).post(path, body, { headers });
    expectApiError(res, status);
    expect(await rowCounts(t)).toEqual(before);
    return res;
  }

  describe.each(['auth/register', 'auth/login'])('POST /api/v1/%s', (path) => {
    it.each([
      ['malformed JSON', '{"email": "a@example.com", "password": '],
      ['a JSON string', '"a@example.com"'],
      ['JSON null', 'null'],
      ['an array', '[]'],
      ['an array of credentials', JSON.stringify([{ email: 'a@example.com', password: PASSWORD }])],
      ['an empty object', '{}'],
    ])('answers 400 to %s', async (_case, body) => {
      await expectRefused(path, body, 400);
    });

    it.each([
      ['email as a number', { email: 42, password: PASSWORD }],
      ['email as an array', { email: ['a@example.com'], password: PASSWORD }],
      ['email as an object', { email: { $ne: null }, password: PASSWORD }],
      ['password as a number', { email: 'wt@example.com', password: 12345678 }],
      ['password as an array', { email: 'wt@example.com', password: [PASSWORD] }],
      ['password as null', { email: 'wt@example.com', password: null }],
      ['booleans', { email: true, password: true }],
    ])('answers 400 to wrong types: %s', async (_case, body) => {
      await expectRefused(path, body, 400);
    });

    it.each([
      ['an unknown field', { email: uniqueEmail(), password: PASSWORD, isAdmin: true }],
      ['an id', { email: uniqueEmail(), password: PASSWORD, id: randomUUID() }],
      ['providers', { email: uniqueEmail(), password: PASSWORD, providers: ['google'] }],
    ])('answers 400 to %s', async (_case, body) => {
      await expectRefused(path, body, 400);
    });

    it('is not polluted by a __proto__ key', async () => {
      const body = `{"email": "${uniqueEmail('proto')}", "password": "${PASSWORD}", "__proto__": {"isAdmin": true, "statusCode": 200}}`;
      const res = await new Browser(t).post(path, body);
      expect(res.status).toBeLessThan(500);
      expect(res.body.isAdmin).toBeUndefined();
      expect(res.body.user?.isAdmin).toBeUndefined();
      // The server runs in this process: its Object.prototype is this one.
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    });

    it('answers 400, not 500, to JSON nested 10,000 levels deep', async () => {
      const res = await expectRefused(path, nestedBody(10_000), 400);
      expect(res.body.message).toMatch(/nested deeper than 64 levels/);
    });

    it('answers 400 to JSON nested 65 levels deep', async () => {
      const res = await expectRefused(path, nestedBody(65), 400);
      expect(res.body.message).toMatch(/nested deeper than 64 levels/);
    });

    it('gives JSON nested 64 levels deep the usual validation answer', async () => {
      const res = await expectRefused(path, nestedBody(64), 400);
      expect(res.body.message).toEqual(['property x should not exist']);
    });

    it.each([
      ['__proto__ at the top', `{"email": "${uniqueEmail('proto')}", "password": "${PASSWORD}", "__proto__": {"x": 1}}`, 'property __proto__ should not exist'],
      ['constructor at the top', `{"email": "${uniqueEmail('ctor')}", "password": "${PASSWORD}", "constructor": {"x": 1}}`, 'property constructor should not exist'],
      ['constructor as a string', `{"email": "${uniqueEmail('ctor')}", "password": "${PASSWORD}", "constructor": "x"}`, 'property constructor should not exist'],
      ['__proto__ nested', `{"email": "${uniqueEmail('proto')}", "password": "${PASSWORD}", "name": {"__proto__": {"x": 1}}}`, 'name.property __proto__ should not exist'],
      ['constructor nested in an array', `{"email": "${uniqueEmail('ctor')}", "password": "${PASSWORD}", "name": [{"constructor": 1}]}`, 'name.0.property constructor should not exist'],
    ])('answers 400 to %s, as to any unknown field', async (_case, body, message) => {
      const res = await expectRefused(path, body, 400);
      expect(res.body.message).toContain(message);
    });

    it('answers 400, not 429, to deep JSON however often it is sent (refused before the rate limits)', async () => {
      const c = new Browser(t);
      for (let i = 0; i < 12; i++) expectApiError(await c.post(path, nestedBody(10_000)), 400);
    });

    it('answers 400 to an email too long to be one', async () => {
      await expectRefused(path, { email: `${'a'.repeat(300)}@example.com`, password: PASSWORD }, 400);
    });

    it('answers 413 to a body over 100 KB', async () => {
      const res = await expectRefused(path, JSON.stringify({ email: uniqueEmail(), password: PASSWORD, pad: 'x'.repeat(101 * 1024) }), 413);
      expect(res.body.error).toBe('Payload Too Large');
    });

    it('answers 4xx, not 500, to a body that is not JSON at all', async () => {
      const before = await rowCounts(t);
      const c = new Browser(t);
      await c.get('auth/providers');
      expect(c.jar.names()).toEqual(['XSRF-TOKEN']);
      const res = await c.post(path, 'email=a@example.com&password=x', { headers: { 'Content-Type': 'text/plain' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectApiError(res, res.status);
      expect(await rowCounts(t)).toEqual(before);
    });
  });

  it('register answers 400 to a NUL character in the name, and writes nothing', async () => {
    await expectRefused('auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'Ada\u0000Lovelace' }, 400);
  });

  it('register answers 400 to a name with a control character among zero-width ones', async () => {
    await expectRefused('auth/register', { email: uniqueEmail(), password: PASSWORD, name: '\u200BAda\u0007' }, 400);
  });

  it('register stores a name without bidi-override and zero-width characters', async () => {
    const res = await new Browser(t).register({ email: uniqueEmail('bidi'), password: PASSWORD, name: ' \u202EAda\u2066 Love\u200Blace\u2069\uFEFF ' });
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBe('Ada Lovelace');
    expect(await storedName(res.body.user.id)).toBe('Ada Lovelace');
  });

  it('register stores a name of only zero-width and bidi characters as no name', async () => {
    const res = await new Browser(t).register({ email: uniqueEmail('zw'), password: PASSWORD, name: '\u200B\u200C\u200D \u2060\uFEFF\u202A\u202E' });
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBeNull();
    expect(await storedName(res.body.user.id)).toBeNull();
  });

  describe('look-alike emails (NFKC before lower-casing)', () => {
    it.each([
      ['the local part', (ascii: string) => ascii.replace(/^[^@]+/, (local) => fullWidth(local))],
      ['the whole address, in capitals', (ascii: string) => fullWidth(ascii.toUpperCase())],
    ])('a full-width spelling of %s registers the ASCII address; the ASCII twin then gets 409', async (_case, spell) => {
      // Short: a full-width letter is 3 bytes, and a local part holds at most 64.
      const ascii = `ada${randomBytes(5).toString('hex')}@example.com`;
      const res = await new Browser(t).register({ email: spell(ascii), password: PASSWORD });
      expect(res.status).toBe(201);
      expect(res.body.user.email).toBe(ascii);
      const before = await countRows(t, 'users');
      expectApiError(await new Browser(t).register({ email: ascii, password: PASSWORD }), 409);
      expect(await countRows(t, 'users')).toBe(before);
    });

    it('an ASCII account signs in with either spelling', async () => {
      const { credentials } = await signUp(t, { tag: 'twin' });
      expect((await new Browser(t).login({ email: credentials.email, password: PASSWORD })).status).toBe(200);
      expect((await new Browser(t).login({ email: fullWidth(credentials.email), password: PASSWORD })).status).toBe(200);
    });

    it('failures with either spelling count against the one account', async () => {
      const { credentials } = await signUp(t, { tag: 'limit' });
      for (const email of [credentials.email, fullWidth(credentials.email), credentials.email, fullWidth(credentials.email), fullWidth(credentials.email)]) {
        expectApiError(await new Browser(t).login({ email, password: 'wrong password!' }), 401);
      }
      expectThrottled(await new Browser(t).login({ email: credentials.email, password: PASSWORD }));
    });
  });

  it('register answers 400 to a name over 100 characters', async () => {
    await expectRefused('auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'n'.repeat(101) }, 400);
  });

  it('login answers 401, not 500, to a password with a NUL character or of 1 KB', async () => {
    for (const password of ['pass\u0000word', 'p'.repeat(1024)]) {
      const res = await new Browser(t).login({ email: known.credentials.email, password });
      expectApiError(res, 401);
    }
  });

  describe('access tokens', () => {
    const secret = () => t.config.auth.jwtSecret;
    const claims = () => known.client.claims();
    const now = () => Math.floor(Date.now() / 1000);

    const forged: [string, () => string][] = [
      ['a tampered payload (another user, the old signature)', () => withPayload(known.client.currentAccessToken(), { ...claims(), sub: randomUUID() })],
      ['a tampered expiry', () => withPayload(known.client.currentAccessToken(), { ...claims(), exp: now() + 86_400 })],
      ['alg: none', () => unsignedJwt(claims())],
      ['alg: none with the original signature', () => `${unsignedJwt(claims())}${known.client.currentAccessToken().split('.')[2]}`],
      ['a token signed with another key', () => signJwt(claims(), PRODUCTION_TEST_SECRET)],
      ['HS512 under the right key', () => signJwt(claims(), secret(), 'HS512')],
      ['an expired token under the right key', () => signJwt({ ...claims(), iat: now() - 3600, exp: now() - 60 }, secret())],
      ['a token without sid under the right key', () => signJwt({ sub: claims().sub, iat: now(), exp: now() + 60 }, secret())],
      ['a token for a user and session that do not exist, under the right key', () => signJwt({ sub: randomUUID(), sid: randomUUID(), iat: now(), exp: now() + 60 }, secret())],
      ['not a JWT', () => 'not-a-jwt'],
      ['two parts', () => known.client.currentAccessToken().split('.').slice(0, 2).join('.')],
    ];

    it.each(forged)('answer 401 to %s, as a Bearer header', async (_case, token) => {
      const res = await new Browser(t).bearer('get', 'auth/me', token());
      expectApiError(res, 401);
    });

    it.each(forged)('answer 401 to %s, as the access cookie', async (_case, token) => {
      const c = new Browser(t);
      c.jar.set(c.cookieNames.access, token());
      expectApiError(await c.me(), 401);
    });

    it.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer${known?.client.accessToken ?? ''}`, 'Bearer a b c'])('answer 401 to the Authorization header %j', async (header) => {
      const res = await new Browser(t).me({ headers: { Authorization: header } });
      expectApiError(res, 401);
    });

    it('answer 401 to an undecodable cookie', async () => {
      const res = await new Browser(t).me({ headers: { Cookie: 'access_token=%E0%A4%A; refresh_token=%%' } });
      expectApiError(res, 401);
    });

    it('the genuine token still works (the cases above are refused for what they are)', async () => {
      expect((await known.client.me()).status).toBe(200);
      expect((await known.client.bearer('get', 'auth/me', known.client.currentAccessToken())).status).toBe(200);
    });
  });

  describe('refresh tokens', () => {
    it.each(['', 'short', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, "'; DROP TABLE sessions; --", 'é'.repeat(43)])('answer 401 to the refresh cookie %j', async (token) => {
      const c = new Browser(t);
      c.jar.set(c.cookieNames.refresh, token, '/api/v1/auth');
      const before = await rowCounts(t);
      expectApiError(await c.refresh(), 401);
      expect(await rowCounts(t)).toEqual(before);
    });
  });

  it('DELETE /auth/sessions/:id answers 404 to a 10 KB id', async () => {
    expectApiError(await known.client.deleteSession('x'.repeat(10_000)), 404);
  });

  async function storedName(userId: string): Promise<string | null> {
    const [row] = await dataSourceOf(t).query(`SELECT name FROM users WHERE id = $1`, [userId]);
    return row.name;
  }
});

/** Credentials plus an unknown field `x` holding nested objects, so that the whole body is `depth` levels deep. */
function nestedBody(depth: number): string {
  const inner = depth - 2;
  return `{"email": "${uniqueEmail('deep')}", "password": "${PASSWORD}", "x": ${'{"a":'.repeat(inner)}{}${'}'.repeat(inner)}}`;
}

/** `ada@example.com` → `ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ`: the full-width forms of printable ASCII. */
function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
}
