import { DataSource } from 'typeorm';
import { freePort } from '@latchkey/server-testing';
import { Answer, Browser } from '../harness';
import { startTestApp, TestApp } from '../test-app';
import { FakeGoogle, GoogleUser } from './fake-google';
import { signInWithGoogle } from './google-sign-in';

const CALLBACK_PATH = '/api/v1/auth/google/callback';

describe('Google sign-in (against a real OAuth 2.0 server)', () => {
  let google: FakeGoogle;
  let t: TestApp;

  beforeAll(async () => {
    google = await FakeGoogle.start();
    t = await startTestApp(google.env(CALLBACK_PATH));
  });
  afterAll(async () => {
    await t?.close();
    await google?.stop();
  });

  /** Follows the whole redirect dance like a browser would, with one cookie jar. */
  async function signIn(user: GoogleUser, returnUrl?: string) {
    const { client: browser, ...rest } = await signInWithGoogle(t, google, user, { returnUrl });
    return { browser, ...rest };
  }

  it('redirects to Google with state, an S256 PKCE challenge and the openid email profile scopes', async () => {
    const res = await new Browser(t).get('auth/google');
    expect(res.status).toBe(302);
    const url = new URL(res.headers['location'] as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/authorize`);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://localhost${CALLBACK_PATH}`);
    const stateCookie = cookieNamed(res, 'google_oauth_state');
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);
    expect(stateCookie).toMatch(new RegExp(`Path=${CALLBACK_PATH}(;|$)`));
  });

  it('signs a new Google user in: cookies set, 302 to /, /auth/me shows the Google user', async () => {
    const { browser, landing, callback } = await signIn({ sub: 'g-new', email: 'Grace@Example.com', email_verified: true, name: 'Grace Hopper', picture: 'https://lh3.googleusercontent.com/grace' });
    expect(landing.status).toBe(302);
    expect(landing.headers['location']).toBe('/');
    expect(cookieNamed(landing, 'access_token')).toMatch(/HttpOnly/);
    expect(cookieNamed(landing, 'refresh_token')).toMatch(/Path=\/api\/v1\/auth/);
    expect(`${landing.headers['location']}${callback.search}`).not.toMatch(/eyJ/); // no token in any URL
    const me = await meOf(browser);
    expect(me.body.user).toEqual({
      id: expect.any(String),
      email: 'grace@example.com',
      emailVerified: true,
      name: 'Grace Hopper',
      picture: 'https://lh3.googleusercontent.com/grace',
      providers: ['google'],
    });

    // The same Google identity signs in to the same user next time.
    const again = await signIn({ sub: 'g-new', email: 'grace@example.com', email_verified: true });
    const meAgain = await meOf(again.browser);
    expect(meAgain.body.user.id).toBe(me.body.user.id);
  });

  it('links a password account whose email is verified when Google says the email is verified', async () => {
    const password = await registerWithPassword('linus@example.com', { verified: true });
    const { browser, landing } = await signIn({ sub: 'g-linus', email: 'linus@example.com', email_verified: true, name: 'Linus' });
    expect(landing.headers['location']).toBe('/');
    const me = await meOf(browser);
    expect(me.body.user.id).toBe(password.id);
    expect(me.body.user.providers).toEqual(['password', 'google']);
    expect(me.body.user.emailVerified).toBe(true);
  });

  it('takes over a password account whose email nobody proved (see accounts/google-takeover.spec.ts)', async () => {
    const squatted = await registerWithPassword('linus-squatted@example.com');
    const { browser } = await signIn({ sub: 'g-linus-squatted', email: 'linus-squatted@example.com', email_verified: true, name: 'Linus' });
    const me = await meOf(browser);
    expect(me.body.user).toMatchObject({ id: squatted.id, emailVerified: true, providers: ['google'] });
  });

  it('never links or signs in to an existing account with an unverified email', async () => {
    const password = await registerWithPassword('mallory-target@example.com');
    const { landing } = await signIn({ sub: 'g-mallory', email: 'mallory-target@example.com', email_verified: false });
    expect(landing.status).toBe(302);
    expect(landing.headers['location']).toBe('/login?error=email_not_verified');
    expectNoAuthCookies(landing);
    const identities = await t.app.get(DataSource).query(`SELECT 1 FROM external_identities WHERE user_id = $1`, [password.id]);
    expect(identities).toHaveLength(0);
  });

  it('refuses a bogus state and a replayed callback', async () => {
    const { browser, callback, landing } = await signIn({ sub: 'g-replay', email: 'replay@example.com', email_verified: true });
    expect(landing.headers['location']).toBe('/');

    const replay = await browser.get(`${callback.pathname}${callback.search}`);
    expect(replay.headers['location']).toBe('/login?error=invalid_state');
    expectNoAuthCookies(replay);

    const bogus = new URL(callback);
    bogus.searchParams.set('state', 'x'.repeat(32));
    const forged = await new Browser(t).get(`${bogus.pathname}${bogus.search}`);
    expect(forged.headers['location']).toBe('/login?error=invalid_state');
    expectNoAuthCookies(forged);
  });

  it('sends provider errors and a user who said no to the login page with a code', async () => {
    const browser = new Browser(t);
    const start = await browser.get('auth/google');
    expect(start.status).toBe(302);
    const state = new URL(start.headers['location'] as string).searchParams.get('state') as string;
    const denied = await browser.get(`${CALLBACK_PATH}?error=access_denied&state=${encodeURIComponent(state)}`);
    expect(denied.headers['location']).toBe('/login?error=access_denied');
    const failed = await new Browser(t).get(`${CALLBACK_PATH}?error=server_error&error_description=boom`);
    expect(failed.headers['location']).toBe('/login?error=provider_error');
    expectNoAuthCookies(failed);
  });

  it('follows only same-origin relative return URLs', async () => {
    expect((await signIn({ sub: 'g-r1', email: 'r1@example.com', email_verified: true }, '/account?tab=sessions')).landing.headers['location']).toBe('/account?tab=sessions');
    for (const attack of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const { landing } = await signIn({ sub: 'g-r2', email: 'r2@example.com', email_verified: true }, attack);
      expect(landing.headers['location']).toBe('/');
    }
  });

  it.each(['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example', '/a/..//evil.example', '/a/%2e%2e//evil.example/x?y#z', '/./\\evil.example'])(
    'lands on /, never on a protocol-relative URL, for the returnUrl %j',
    async (attack) => {
      const { landing } = await signIn({ sub: 'g-dot', email: 'dot@example.com', email_verified: true }, attack);
      expect(landing.status).toBe(302);
      expect(landing.headers['location']).toBe('/');
      expect(cookieNamed(landing, 'access_token')).toMatch(/HttpOnly/);
    },
  );

  it('keeps a same-origin path that merely contains dot segments, normalised', async () => {
    const { landing } = await signIn({ sub: 'g-dot2', email: 'dot2@example.com', email_verified: true }, '/a/../account?tab=sessions');
    expect(landing.headers['location']).toBe('/account?tab=sessions');
  });

  it('stores a Google name without control, bidi-override and zero-width characters', async () => {
    const { browser } = await signIn({ sub: 'g-bidi', email: 'bidi@example.com', email_verified: true, name: '\u202EGrace\u0007 Hop\u200Bper\u2069\u0000' });
    expect((await meOf(browser)).body.user.name).toBe('Grace Hopper');
    const { browser: blank } = await signIn({ sub: 'g-blank', email: 'blank@example.com', email_verified: true, name: '\u200B\uFEFF\u202E ' });
    expect((await meOf(blank)).body.user.name).toBeNull();
  });

  it('treats a full-width spelling of an email as the same account (NFKC before lower-casing)', async () => {
    const password = await registerWithPassword('fw-linus@example.com', { verified: true });
    const { browser } = await signIn({ sub: 'g-fw-linus', email: fullWidth('FW-Linus@example.com'), email_verified: true });
    const me = await meOf(browser);
    expect(me.body.user).toMatchObject({ id: password.id, email: 'fw-linus@example.com', providers: ['password', 'google'] });

    const { browser: fresh } = await signIn({ sub: 'g-fw-new', email: fullWidth('FW-New@example.com'), email_verified: true });
    expect((await meOf(fresh)).body.user.email).toBe('fw-new@example.com');
  });

  /** `verified`: as if its mailed link had been used (accounts/email-verification.spec.ts covers the link itself). */
  async function registerWithPassword(email: string, options: { verified?: boolean } = {}): Promise<{ id: string }> {
    const browser = new Browser(t);
    const first = await browser.providers();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ password: true, google: true });
    // The browser echoes the XSRF-TOKEN cookie that answer set.
    const res = await browser.register({ email, password: 'a long password' });
    expect(res.status).toBe(201);
    if (options.verified) await t.app.get(DataSource).query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [res.body.user.id]);
    return res.body.user;
  }
});

describe('Google sign-in when Google is down', () => {
  it('redirects to /login?error=provider_unavailable, never a 500', async () => {
    const google = await FakeGoogle.start();
    const deadPort = await freePort();
    const t = await startTestApp({ ...google.env(CALLBACK_PATH), GOOGLE_TOKEN_URL: `http://127.0.0.1:${deadPort}/token` });
    try {
      const browser = new Browser(t);
      const start = await browser.get('auth/google');
      expect(start.status).toBe(302);
      const atGoogle = await fetch(start.headers['location'] as string, { redirect: 'manual' });
      const callback = new URL(atGoogle.headers.get('location') as string);
      const landing = await browser.get(`${callback.pathname}${callback.search}`);
      expect(landing.status).toBe(302);
      expect(landing.headers['location']).toBe('/login?error=provider_unavailable');
      expectNoAuthCookies(landing);
    } finally {
      await t.close();
      await google.stop();
    }
  });
});

describe('Google sign-in when not configured', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  it('answers 404 at /auth/google and says google: false', async () => {
    const res = await new Browser(t).get('auth/google');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await new Browser(t).providers()).body).toEqual({ password: true, google: false });
  });
});

function cookieNamed(res: Answer, name: string): string | undefined {
  return res.setCookies.find((c) => c.startsWith(`${name}=`));
}

/** `GET /auth/me` from that browser, which must answer 200. */
async function meOf(browser: Browser): Promise<Answer> {
  const res = await browser.me();
  expect(res.status).toBe(200);
  return res;
}

function expectNoAuthCookies(res: Answer): void {
  expect(cookieNamed(res, 'access_token')).toBeUndefined();
  expect(cookieNamed(res, 'refresh_token')).toBeUndefined();
}

/** `ada@example.com` → `ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ`: the full-width forms of printable ASCII. */
function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
}
