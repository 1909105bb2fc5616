import { randomUUID } from 'node:crypto';
import { dataSourceOf, tokenHash } from '../auth/db';
import { FakeGoogle } from '../google/fake-google';
import { signInWithGoogle } from '../google/google-sign-in';
import { Browser, expectApiError, expectThrottled, PASSWORD, signUp, uniqueEmail } from '../harness';
import { AccountsApp, accountTokensOf, mailsTo, mailTo, startAccountsApp, tokenIn } from './accounts-harness';

const CALLBACK_PATH = '/api/v1/auth/google/callback';
const INVALID_LINK = 'This link is invalid or has expired; ask for a new one';

/** CONTRACT.md `POST /auth/email/change` and its links at `POST /auth/email/verify`; "Re-authentication". */
describe('email change', () => {
  let google: FakeGoogle;
  let app: AccountsApp;
  beforeAll(async () => {
    google = await FakeGoogle.start();
    app = await startAccountsApp(google.env(CALLBACK_PATH));
  });
  afterAll(async () => {
    await app?.close();
    await google?.stop();
  });

  async function changeLink(newEmail: string): Promise<string> {
    return tokenIn(await mailTo(app.smtp, newEmail, 'emailChange'), 'verifyEmail');
  }

  it('202, a link to the new address, nothing changes until it is used; then the address moves, verified, and the old one is told', async () => {
    const { client, credentials, user } = await signUp(app.t);
    const newEmail = uniqueEmail('moved');
    expect((await client.changeEmail(newEmail, PASSWORD)).status).toBe(202);
    const token = await changeLink(newEmail);
    const [row] = (await accountTokensOf(app.t, user.id)).filter((r) => r.purpose === 'email_change');
    expect(row).toMatchObject({ new_email: newEmail, used_at: null });
    expect(row.token_hash.equals(tokenHash(token))).toBe(true);

    expect((await client.me()).body.user.email).toBe(credentials.email);
    expect((await new Browser(app.t).login(credentials)).status).toBe(200);

    const verified = await new Browser(app.t).verifyEmail(token);
    expect(verified.status).toBe(200);
    expect(verified.body.user).toEqual({ ...user, email: newEmail, emailVerified: true });
    expect((await client.me()).body.user).toMatchObject({ email: newEmail, emailVerified: true });
    const notice = await mailTo(app.smtp, credentials.email, 'emailChanged');
    expect(notice.text).toContain(newEmail);

    expectApiError(await new Browser(app.t).login(credentials), 401);
    expect((await new Browser(app.t).login({ email: newEmail, password: PASSWORD })).status).toBe(200);
    expectApiError(await new Browser(app.t).verifyEmail(token), 400);
  });

  it('a changed address voids the links mailed about the old one (verification, reset, other changes)', async () => {
    const { client, credentials } = await signUp(app.t);
    const verification = tokenIn(await mailTo(app.smtp, credentials.email, 'verification'), 'verifyEmail');
    expect((await new Browser(app.t).forgotPassword(credentials.email)).status).toBe(202);
    const reset = tokenIn(await mailTo(app.smtp, credentials.email, 'reset'), 'resetPassword');
    const newEmail = uniqueEmail('moved');
    await client.changeEmail(newEmail, PASSWORD);
    expect((await new Browser(app.t).verifyEmail(await changeLink(newEmail))).status).toBe(200);

    for (const res of [await new Browser(app.t).verifyEmail(verification), await new Browser(app.t).resetPassword(reset, 'a password of the old mailbox')]) {
      expectApiError(res, 400);
      expect(res.body.message).toBe(INVALID_LINK);
    }
  });

  it('a newer change link voids the older one', async () => {
    const { client, credentials } = await signUp(app.t);
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await client.changeEmail(first, PASSWORD);
    const older = await changeLink(first);
    await client.changeEmail(second, PASSWORD);
    const newer = await changeLink(second);
    expectApiError(await new Browser(app.t).verifyEmail(older), 400);
    expect((await new Browser(app.t).verifyEmail(newer)).body.user.email).toBe(second);
    await mailTo(app.smtp, credentials.email, 'emailChanged');
    expect(mailsTo(app.smtp, credentials.email, 'emailChanged')).toHaveLength(1);
  });

  it('409 when the address has an account; 409 at the link when another account took it meanwhile (the link stays unused)', async () => {
    const { client } = await signUp(app.t);
    const { credentials: taken } = await signUp(app.t);
    expectApiError(await client.changeEmail(taken.email, PASSWORD), 409);

    const contested = uniqueEmail('contested');
    await client.changeEmail(contested, PASSWORD);
    const token = await changeLink(contested);
    expect((await new Browser(app.t).register({ email: contested, password: PASSWORD })).status).toBe(201);
    const res = await new Browser(app.t).verifyEmail(token);
    expectApiError(res, 409);
    expect((await client.me()).body.user.email).not.toBe(contested);
    const [row] = await dataSourceOf(app.t).query(`SELECT used_at FROM account_tokens WHERE new_email = $1`, [contested]);
    expect(row.used_at).toBeNull();
  });

  it('400 for a malformed address or the current one', async () => {
    const { client, credentials } = await signUp(app.t);
    for (const newEmail of ['nope', '', `"two words"@example.com`]) expectApiError(await client.changeEmail(newEmail, PASSWORD), 400);
    const same = await client.changeEmail(credentials.email.toUpperCase(), PASSWORD);
    expectApiError(same, 400);
    expect(same.body.message).toBe('This is already your email address');
  });

  describe('re-authentication', () => {
    it('an account with a password: missing → 403, wrong → 403 counted as a failed sign-in (429 past 5)', async () => {
      const { client } = await signUp(app.t);
      const missing = await client.changeEmail(uniqueEmail('x'));
      expectApiError(missing, 403);
      expect(missing.body.message).toBe('Enter your current password to confirm');
      for (let i = 0; i < 5; i++) expectApiError(await client.changeEmail(uniqueEmail('x'), `wrong ${i}`), 403);
      expectThrottled(await client.changeEmail(uniqueEmail('x'), PASSWORD));
    });

    it('an account without a password: a sign-in within 10 minutes will do; an older one gets 403 “sign in again”', async () => {
      const googleUser = { sub: `g-${randomUUID()}`, email: `g-${randomUUID()}@example.com`, email_verified: true };
      const { client } = await signInWithGoogle(app.t, google, googleUser);
      const fresh = uniqueEmail('from-google');
      expect((await client.changeEmail(fresh)).status).toBe(202);
      await changeLink(fresh);

      await dataSourceOf(app.t).query(`UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE id = $1`, [client.sessionId()]);
      // A refresh keeps the session's sign-in time: it does not count as signing in.
      expect((await client.refresh()).status).toBe(200);
      const stale = await client.changeEmail(uniqueEmail('from-google'));
      expectApiError(stale, 403);
      expect(stale.body.message).toMatch(/sign in again/i);

      const { client: again } = await signInWithGoogle(app.t, google, googleUser);
      expect((await again.changeEmail(uniqueEmail('from-google'))).status).toBe(202);
    });

    it('401 without an access token', async () => {
      expectApiError(await new Browser(app.t).changeEmail(uniqueEmail('x'), PASSWORD), 401);
    });
  });
});
