import { DEVICE_COOKIE_MAX_AGE_SECONDS, DEVICE_COOKIE_PATH } from '@latchkey/auth-contract';
import { startTestApp, TestApp } from '../test-app';
import { Answer, Browser, expectApiError, expectThrottled, PASSWORD, setCookieOf, setCookiesOf, signIn, signUp, uniqueEmail, uniqueIp } from '../harness';
import { countRows } from './db';

/** A login from a browser at `ip` (a new one by default). */
function loginFrom(t: TestApp, credentials: { email: string; password: string }, ip = uniqueIp()): Promise<Answer> {
  return new Browser(t, { ip }).login(credentials);
}

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
  afterAll(() => t?.close());

  it('after 5 failed logins for one email, from any addresses, the 6th attempt gets 429 + Retry-After, even with the right password', async () => {
    const { credentials } = await signUp(t);
    for (let i = 0; i < 5; i++) expectApiError(await loginFrom(t, { ...credentials, password: `wrong password ${i}` }), 401);
    const sessions = await countRows(t, 'sessions');
    const blocked = await loginFrom(t, credentials);
    expectThrottled(blocked);
    expect(blocked.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^access_token=/)]));
    expect(await countRows(t, 'sessions')).toBe(sessions);
    // Case and spacing do not make it another email.
    expectThrottled(await loginFrom(t, { ...credentials, email: credentials.email.toUpperCase() }));
    // Other accounts are not affected.
    const other = await signUp(t);
    expect((await loginFrom(t, other.credentials)).status).toBe(200);
  });

  it('four failures do not block, and successful logins never count', async () => {
    const { credentials } = await signUp(t);
    for (let i = 0; i < 4; i++) expectApiError(await loginFrom(t, { ...credentials, password: 'wrong password' }), 401);
    for (let i = 0; i < 8; i++) expect((await loginFrom(t, credentials)).status).toBe(200);
  });

  it('after 20 failed logins from one address across emails, the next gets 429 + Retry-After there, and only there', async () => {
    const ip = uniqueIp();
    const { credentials } = await signUp(t);
    for (let i = 0; i < 20; i++) expectApiError(await loginFrom(t, { email: uniqueEmail('ip'), password: PASSWORD }, ip), 401);
    expectThrottled(await loginFrom(t, { email: uniqueEmail('ip'), password: PASSWORD }, ip));
    expectThrottled(await loginFrom(t, credentials, ip));
    expect((await loginFrom(t, credentials)).status).toBe(200);
  });

  describe('under concurrency', () => {
    /** How many of `responses` had their password checked: everything but the 429s. */
    const checked = (responses: Answer[]) => responses.filter((res) => res.status !== 429).length;

    it('150 guesses for one email at once: no more than 5 passwords are checked, the rest get 429', async () => {
      const { credentials } = await signUp(t);
      const guesses = Array.from({ length: 150 }, (_, i) => loginFrom(t, { ...credentials, password: `wrong password ${i}` }));
      const responses = await Promise.all(guesses);
      expect(responses.filter((res) => ![401, 429].includes(res.status)).map((res) => res.status)).toEqual([]);
      expect(checked(responses)).toBeLessThanOrEqual(5);
      for (const res of responses.filter((r) => r.status === 429)) expectThrottled(res);
      // The window is used up: the right password is refused too.
      expectThrottled(await loginFrom(t, credentials));
    });

    it('150 guesses at once with the right password among them: at most 5 wrong ones are checked', async () => {
      const { credentials } = await signUp(t);
      const guesses = Array.from({ length: 150 }, (_, i) => loginFrom(t, { ...credentials, password: i === 75 ? credentials.password : `wrong password ${i}` }));
      const responses = await Promise.all(guesses);
      expect(responses.filter((res) => res.status === 401).length).toBeLessThanOrEqual(5);
      expect(responses.filter((res) => res.status === 200).length).toBeLessThanOrEqual(1);
    });

    it('60 failures from one address at once: no more than 20 passwords are checked', async () => {
      const ip = uniqueIp();
      const responses = await Promise.all(Array.from({ length: 60 }, () => loginFrom(t, { email: uniqueEmail('burst'), password: PASSWORD }, ip)));
      expect(responses.filter((res) => ![401, 429].includes(res.status)).map((res) => res.status)).toEqual([]);
      expect(checked(responses)).toBeLessThanOrEqual(20);
      expect(checked(responses)).toBeGreaterThan(0);
    });
  });

  describe('the device cookie', () => {
    it('is set by a successful sign-in (register or login) with the contract’s attributes, not by refresh, and kept by logout', async () => {
      const c = new Browser(t);
      const register = await c.register({ email: uniqueEmail('device'), password: PASSWORD });
      const name = c.cookieNames.device;
      expect(name).toBe('lk_device');
      expect(setCookieOf(register, name)).toMatchObject({ httpOnly: true, path: DEVICE_COOKIE_PATH, sameSite: 'Strict', maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS, secure: false });
      expect(DEVICE_COOKIE_PATH).toBe('/api/v1/auth');
      expect(DEVICE_COOKIE_MAX_AGE_SECONDS).toBe(7_776_000);

      const other = new Browser(t);
      const login = await other.login({ email: (register.body as { user: { email: string } }).user.email, password: PASSWORD });
      expect(setCookieOf(login, name).value).toMatch(/\S{40,}/);
      const refresh = await other.refresh();
      expect(refresh.status).toBe(200);
      expect(setCookiesOf(refresh).map((cookie) => cookie.name)).not.toContain(name);
      const logout = await other.logout();
      expect(logout.status).toBe(204);
      expect(setCookiesOf(logout).map((cookie) => cookie.name)).not.toContain(name);
      expect(other.jar.get(name)).toBeDefined();
    });

    it('a failed sign-in sets none', async () => {
      const { credentials } = await signUp(t);
      const res = await new Browser(t).login({ ...credentials, password: 'wrong password' });
      expect(setCookiesOf(res).map((cookie) => cookie.name)).not.toContain('lk_device');
    });

    it('keeps the owner’s browser signing in while failures from other browsers and its own address lock the account', async () => {
      const { credentials } = await signUp(t);
      const owner = await signIn(t, credentials);
      const elsewhere = await signIn(t, credentials);
      for (let i = 0; i < 6; i++) await loginFrom(t, { ...credentials, password: `attacker ${i}` });
      for (let i = 0; i < 21; i++) await loginFrom(t, { email: uniqueEmail('same-ip'), password: PASSWORD }, owner.ip);
      // A browser that never signed in, and one on the owner's address without the cookie: locked.
      expectThrottled(await loginFrom(t, credentials));
      expectThrottled(await loginFrom(t, credentials, owner.ip));
      expect((await owner.login(credentials)).status).toBe(200);
      expect((await owner.login(credentials)).status).toBe(200);
      // Another browser that signed in before the attack has its own cookie too.
      expect((await elsewhere.login(credentials)).status).toBe(200);
    });

    it('counts the device’s own failures apart: 5 per device, then 429 there', async () => {
      const { credentials } = await signUp(t);
      const owner = await signIn(t, credentials);
      const other = await signIn(t, credentials);
      for (let i = 0; i < 5; i++) expectApiError(await owner.login({ ...credentials, password: `typo ${i}` }), 401);
      expectThrottled(await owner.login(credentials));
      // Nobody else was locked by the device's failures.
      expect((await other.login(credentials)).status).toBe(200);
      expect((await loginFrom(t, credentials)).status).toBe(200);
    });

    it('is no help for another account, nor when tampered with', async () => {
      const victim = await signUp(t);
      const attacker = await signUp(t);
      const attackerBrowser = await signIn(t, attacker.credentials);
      for (let i = 0; i < 5; i++) await loginFrom(t, { ...victim.credentials, password: `guess ${i}` });
      // The attacker's own device cookie does not lift the victim's lock.
      expectThrottled(await attackerBrowser.login(victim.credentials));

      const owner = await signIn(t, attacker.credentials);
      for (let i = 0; i < 5; i++) await loginFrom(t, { ...attacker.credentials, password: `guess ${i}` });
      const name = owner.cookieNames.device;
      const genuine = owner.jar.get(name) as string;
      owner.jar.set(name, `${genuine.slice(0, -2)}${genuine.endsWith('AA') ? 'BB' : 'AA'}`, DEVICE_COOKIE_PATH);
      expectThrottled(await owner.login(attacker.credentials));
      owner.jar.set(name, genuine, DEVICE_COOKIE_PATH);
      expect((await owner.login(attacker.credentials)).status).toBe(200);
    });

    it('150 guesses at once from the owner’s browser: no more than 5 are checked', async () => {
      const { credentials } = await signUp(t);
      const owner = await signIn(t, credentials);
      const responses = await Promise.all(Array.from({ length: 150 }, (_, i) => owner.fork().login({ ...credentials, password: `wrong ${i}` })));
      expect(responses.filter((res) => res.status !== 429).length).toBeLessThanOrEqual(5);
    });
  });

  it('register is rate-limited per address, in Nest’s shape', async () => {
    const client = new Browser(t);
    let res: Answer | undefined;
    for (let i = 0; i < 50; i++) {
      res = await client.register({ email: uniqueEmail('flood'), password: PASSWORD });
      if (res.status !== 201) break;
    }
    expect(res).toBeDefined();
    expectThrottled(res as Answer);
    expect((await new Browser(t).register({ email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
  });
});
