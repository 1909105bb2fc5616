import { randomUUID } from 'node:crypto';
import { dataSourceOf } from '../auth/db';
import { FakeGoogle } from '../google/fake-google';
import type { TestApp } from '../test-app';
import { signInWithGoogle } from '../google/google-sign-in';
import { Browser, expectApiError, expectThrottled, PASSWORD, setCookieOf, signIn, signUp, statusWithin } from '../harness';
import { AccountsApp, mailTo, startAccountsApp } from './accounts-harness';

const CALLBACK_PATH = '/api/v1/auth/google/callback';

async function rowsOfUser(t: TestApp, userId: string): Promise<Record<string, number>> {
  const [row] = await dataSourceOf(t).query(
    `SELECT (SELECT count(*) FROM users WHERE id = $1)::int AS users,
            (SELECT count(*) FROM external_identities WHERE user_id = $1)::int AS identities,
            (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS sessions,
            (SELECT count(*) FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = $1)::int AS refresh_tokens,
            (SELECT count(*) FROM account_tokens WHERE user_id = $1)::int AS account_tokens,
            (SELECT count(*) FROM mail_outbox WHERE user_id = $1 AND status IN ('pending', 'sending'))::int AS pending_mail`,
    [userId],
  );
  return row;
}

/** CONTRACT.md `DELETE /auth/me` `{password?}`; "Re-authentication". */
describe('DELETE /auth/me', () => {
  let google: FakeGoogle;
  let app: AccountsApp;
  let b: TestApp;
  let late: TestApp | undefined;
  beforeAll(async () => {
    google = await FakeGoogle.start();
    app = await startAccountsApp(google.env(CALLBACK_PATH));
    b = (await startAccountsApp(google.env(CALLBACK_PATH), { sameDatabaseAs: app.t, smtp: app.smtp })).t;
  });
  afterAll(async () => {
    await late?.close();
    await b?.close();
    await app?.close();
    await google?.stop();
  });

  it('204: the user and all their rows are gone, cookies cleared, every access token 401 (at once here, within 1 s on another instance)', async () => {
    const { client, credentials, user } = await signUp(app.t);
    await mailTo(app.smtp, credentials.email, 'verification');
    const other = await signIn(app.t, credentials);
    const otherOnB = other.on(b);
    const stale = client.fork();
    expect((await otherOnB.me()).status).toBe(200);
    // A mail still waiting in the outbox while the SMTP server refuses.
    app.smtp.refuse(true);
    try {
      expect((await client.requestVerification()).status).toBe(202);
      expect((await rowsOfUser(app.t, user.id)).pending_mail).toBe(1);

      const res = await client.deleteAccount(PASSWORD);
      expect(res.status).toBe(204);
      expect(setCookieOf(res, client.cookieNames.access).maxAge).toBe(0);
      expect(setCookieOf(res, client.cookieNames.refresh).maxAge).toBe(0);
    } finally {
      app.smtp.refuse(false);
    }

    expect(await rowsOfUser(app.t, user.id)).toEqual({ users: 0, identities: 0, sessions: 0, refresh_tokens: 0, account_tokens: 0, pending_mail: 0 });
    for (const c of [stale, other]) {
      expectApiError(await c.me(), 401);
      expectApiError(await c.sessions(), 401);
      expectApiError(await c.refresh(), 401);
    }
    expect(await statusWithin(1000, 401, () => otherOnB.sessions())).toBe(401);
    expectApiError(await new Browser(app.t).login(credentials), 401);
    // The address is free again.
    expect((await new Browser(app.t).register(credentials)).status).toBe(201);
  });

  it('an instance started after the deletion refuses the deleted sessions’ access tokens too', async () => {
    const { client } = await signUp(app.t);
    const stale = client.fork();
    const access = client.currentAccessToken();
    expect((await client.deleteAccount(PASSWORD)).status).toBe(204);
    // Closed in afterAll, before the instance whose (embedded) database it shares.
    late = (await startAccountsApp(google.env(CALLBACK_PATH), { sameDatabaseAs: app.t, smtp: app.smtp })).t;
    const onLate = stale.on(late);
    expectApiError(await onLate.sessions(), 401);
    expectApiError(await onLate.bearer('get', 'auth/sessions', access), 401);
    // A dead Bearer token does not exempt from CSRF (403); with the XSRF pair it is a 401.
    expectApiError(await onLate.bearer('post', 'auth/logout-all', access), 403);
    expectApiError(await new Browser(late).send('post', 'auth/logout-all', { headers: { Authorization: `Bearer ${access}` } }), 401);
  });

  it('re-authentication with a password: missing → 403, wrong → 403 counted (429 past 5), nothing is deleted', async () => {
    const { client, user } = await signUp(app.t);
    const missing = await client.deleteAccount();
    expectApiError(missing, 403);
    expect(missing.body.message).toBe('Enter your current password to confirm');
    for (let i = 0; i < 5; i++) {
      const wrong = await client.deleteAccount(`wrong ${i}`);
      expectApiError(wrong, 403);
      expect(wrong.body.message).toBe('The password is incorrect');
    }
    expectThrottled(await client.deleteAccount(PASSWORD));
    expect((await rowsOfUser(app.t, user.id)).users).toBe(1);
    expect((await client.me()).status).toBe(200);
  });

  it('an account without a password: a recent sign-in will do; an older one gets 403 “sign in again”', async () => {
    const googleUser = { sub: `g-${randomUUID()}`, email: `g-${randomUUID()}@example.com`, email_verified: true };
    const { client } = await signInWithGoogle(app.t, google, googleUser);
    const userId = client.claims().sub;
    await dataSourceOf(app.t).query(`UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE id = $1`, [client.sessionId()]);
    const stale = await client.deleteAccount('a password it does not have');
    expectApiError(stale, 403);
    expect(stale.body.message).toMatch(/sign in again/i);
    expect((await rowsOfUser(app.t, userId)).users).toBe(1);

    const { client: fresh } = await signInWithGoogle(app.t, google, googleUser);
    expect((await fresh.deleteAccount()).status).toBe(204);
    expect(await rowsOfUser(app.t, userId)).toMatchObject({ users: 0, identities: 0, sessions: 0 });
    expectApiError(await client.me(), 401);
  });

  it('401 without an access token; 400 for unknown fields', async () => {
    expectApiError(await new Browser(app.t).deleteAccount(PASSWORD), 401);
    const { client } = await signUp(app.t);
    expectApiError(await client.send('delete', 'auth/me', { body: { password: PASSWORD, force: true } }), 400);
    expectApiError(await client.send('delete', 'auth/me', { body: { password: 42 } }), 400);
    expect((await client.me()).status).toBe(200);
  });
});
