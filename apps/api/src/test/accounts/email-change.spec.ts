import { randomUUID } from 'node:crypto';
import { AuthClient, PASSWORD, signUp, uniqueEmail } from '../auth/auth-client';
import { dataSourceOf } from '../auth/db';
import { expectApiError, expectThrottled } from '../auth/expect-error';
import { FakeGoogle } from '../google/fake-google';
import { accountApi, AccountsApp, accountTokensOf, mailsTo, mailTo, sha256, startAccountsApp, tokenIn } from './accounts-harness';
import { signInWithGoogle } from './google-sign-in';

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
    expect((await accountApi.changeEmail(client, newEmail, PASSWORD)).status).toBe(202);
    const token = await changeLink(newEmail);
    const [row] = (await accountTokensOf(app.t, user.id)).filter((r) => r.purpose === 'email_change');
    expect(row).toMatchObject({ new_email: newEmail, used_at: null });
    expect(row.token_hash.equals(sha256(token))).toBe(true);

    expect((await client.me()).body.user.email).toBe(credentials.email);
    expect((await new AuthClient(app.t).login(credentials)).status).toBe(200);

    const verified = await accountApi.verify(new AuthClient(app.t), token);
    expect(verified.status).toBe(200);
    expect(verified.body.user).toEqual({ ...user, email: newEmail, emailVerified: true });
    expect((await client.me()).body.user).toMatchObject({ email: newEmail, emailVerified: true });
    const notice = await mailTo(app.smtp, credentials.email, 'emailChanged');
    expect(notice.text).toContain(newEmail);

    expectApiError(await new AuthClient(app.t).login(credentials), 401);
    expect((await new AuthClient(app.t).login({ email: newEmail, password: PASSWORD })).status).toBe(200);
    expectApiError(await accountApi.verify(new AuthClient(app.t), token), 400);
  });

  it('a changed address voids the links mailed about the old one (verification, reset, other changes)', async () => {
    const { client, credentials } = await signUp(app.t);
    const verification = tokenIn(await mailTo(app.smtp, credentials.email, 'verification'), 'verifyEmail');
    expect((await accountApi.forgot(new AuthClient(app.t), credentials.email)).status).toBe(202);
    const reset = tokenIn(await mailTo(app.smtp, credentials.email, 'reset'), 'resetPassword');
    const newEmail = uniqueEmail('moved');
    await accountApi.changeEmail(client, newEmail, PASSWORD);
    expect((await accountApi.verify(new AuthClient(app.t), await changeLink(newEmail))).status).toBe(200);

    for (const res of [await accountApi.verify(new AuthClient(app.t), verification), await accountApi.reset(new AuthClient(app.t), reset, 'a password of the old mailbox')]) {
      expectApiError(res, 400);
      expect(res.body.message).toBe(INVALID_LINK);
    }
  });

  it('a newer change link voids the older one', async () => {
    const { client, credentials } = await signUp(app.t);
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await accountApi.changeEmail(client, first, PASSWORD);
    const older = await changeLink(first);
    await accountApi.changeEmail(client, second, PASSWORD);
    const newer = await changeLink(second);
    expectApiError(await accountApi.verify(new AuthClient(app.t), older), 400);
    expect((await accountApi.verify(new AuthClient(app.t), newer)).body.user.email).toBe(second);
    await mailTo(app.smtp, credentials.email, 'emailChanged');
    expect(mailsTo(app.smtp, credentials.email, 'emailChanged')).toHaveLength(1);
  });

  it('409 when the address has an account; 409 at the link when another account took it meanwhile (the link stays unused)', async () => {
    const { client } = await signUp(app.t);
    const { credentials: taken } = await signUp(app.t);
    expectApiError(await accountApi.changeEmail(client, taken.email, PASSWORD), 409);

    const contested = uniqueEmail('contested');
    await accountApi.changeEmail(client, contested, PASSWORD);
    const token = await changeLink(contested);
    expect((await new AuthClient(app.t).register({ email: contested, password: PASSWORD })).status).toBe(201);
    const res = await accountApi.verify(new AuthClient(app.t), token);
    expectApiError(res, 409);
    expect((await client.me()).body.user.email).not.toBe(contested);
    const [row] = await dataSourceOf(app.t).query(`SELECT used_at FROM account_tokens WHERE new_email = $1`, [contested]);
    expect(row.used_at).toBeNull();
  });

  it('400 for a malformed address or the current one', async () => {
    const { client, credentials } = await signUp(app.t);
    for (const newEmail of ['nope', '', `"two words"@example.com`]) expectApiError(await accountApi.changeEmail(client, newEmail, PASSWORD), 400);
    const same = await accountApi.changeEmail(client, credentials.email.toUpperCase(), PASSWORD);
    expectApiError(same, 400);
    expect(same.body.message).toBe('This is already your email address');
  });

  describe('re-authentication', () => {
    it('an account with a password: missing → 403, wrong → 403 counted as a failed sign-in (429 past 5)', async () => {
      const { client } = await signUp(app.t);
      const missing = await accountApi.changeEmail(client, uniqueEmail('x'));
      expectApiError(missing, 403);
      expect(missing.body.message).toBe('Enter your current password to confirm');
      for (let i = 0; i < 5; i++) expectApiError(await accountApi.changeEmail(client, uniqueEmail('x'), `wrong ${i}`), 403);
      expectThrottled(await accountApi.changeEmail(client, uniqueEmail('x'), PASSWORD));
    });

    it('an account without a password: a sign-in within 10 minutes will do; an older one gets 403 “sign in again”', async () => {
      const googleUser = { sub: `g-${randomUUID()}`, email: `g-${randomUUID()}@example.com`, email_verified: true };
      const { client } = await signInWithGoogle(app.t, google, googleUser);
      const fresh = uniqueEmail('from-google');
      expect((await accountApi.changeEmail(client, fresh)).status).toBe(202);
      await changeLink(fresh);

      await dataSourceOf(app.t).query(`UPDATE sessions SET created_at = now() - interval '11 minutes' WHERE id = $1`, [client.sessionId()]);
      // A refresh keeps the session's sign-in time: it does not count as signing in.
      expect((await client.refresh()).status).toBe(200);
      const stale = await accountApi.changeEmail(client, uniqueEmail('from-google'));
      expectApiError(stale, 403);
      expect(stale.body.message).toMatch(/sign in again/i);

      const { client: again } = await signInWithGoogle(app.t, google, googleUser);
      expect((await accountApi.changeEmail(again, uniqueEmail('from-google'))).status).toBe(202);
    });

    it('401 without an access token', async () => {
      expectApiError(await accountApi.changeEmail(new AuthClient(app.t), uniqueEmail('x'), PASSWORD), 401);
    });
  });
});
