import { randomUUID } from 'node:crypto';
import { sessionRow } from '../auth/db';
import { FakeGoogle } from '../google/fake-google';
import type { TestApp } from '../test-app';
import { signInWithGoogle } from '../google/google-sign-in';
import { Browser, expectApiError, expectThrottled, PASSWORD, signIn, signUp, statusWithin } from '../harness';
import { AccountsApp, mailTo, startAccountsApp } from './accounts-harness';

const NEW_PASSWORD = 'a brand new passphrase';
const CALLBACK_PATH = '/api/v1/auth/google/callback';

/** CONTRACT.md `POST /auth/password/change`. */
describe('password change', () => {
  let google: FakeGoogle;
  let app: AccountsApp;
  let b: TestApp;
  beforeAll(async () => {
    google = await FakeGoogle.start();
    app = await startAccountsApp(google.env(CALLBACK_PATH));
    b = (await startAccountsApp(google.env(CALLBACK_PATH), { sameDatabaseAs: app.t, smtp: app.smtp })).t;
  });
  afterAll(async () => {
    await b?.close();
    await app?.close();
    await google?.stop();
  });

  it('204: this session stays, every other one (on both instances) is signed out, the new password works, a notice is mailed', async () => {
    const { client, credentials, user } = await signUp(app.t);
    const other = await signIn(app.t, credentials);
    const otherOnB = other.on(b);
    const thisOnB = client.on(b);
    expect((await otherOnB.me()).status).toBe(200);

    expect((await client.changePassword(PASSWORD, NEW_PASSWORD)).status).toBe(204);

    expectApiError(await other.me(), 401);
    expectApiError(await other.refresh(), 401);
    expect(await statusWithin(1000, 401, () => otherOnB.me())).toBe(401);
    expect((await sessionRow(app.t, other.sessionId())).revoked_reason).toBe('password_changed');
    expect((await client.me()).status).toBe(200);
    expect((await thisOnB.me()).status).toBe(200);
    expect((await client.refresh()).status).toBe(200);

    expectApiError(await new Browser(app.t).login(credentials), 401);
    expect((await new Browser(app.t).login({ email: credentials.email, password: NEW_PASSWORD })).body.user.id).toBe(user.id);
    await mailTo(app.smtp, credentials.email, 'passwordChanged');
  });

  it('403 for a wrong current password, counted as a failed sign-in: the 6th try from this browser gets 429', async () => {
    const { client, credentials } = await signUp(app.t);
    for (let i = 0; i < 5; i++) {
      const res = await client.changePassword(`wrong password ${i}`, NEW_PASSWORD);
      expectApiError(res, 403);
      expect(res.body.message).toBe('The current password is incorrect');
    }
    expectThrottled(await client.changePassword(PASSWORD, NEW_PASSWORD));
    // The failures were this browser's (its device cookie): sign-ins elsewhere are not locked out.
    expect((await new Browser(app.t).login(credentials)).status).toBe(200);
  });

  it('400 for a new password outside the policy, nothing changes', async () => {
    const { client, credentials } = await signUp(app.t);
    for (const newPassword of ['short', 'x'.repeat(129)]) expectApiError(await client.changePassword(PASSWORD, newPassword), 400);
    expectApiError(await client.post('auth/password/change', { currentPassword: PASSWORD }), 400);
    expect((await new Browser(app.t).login(credentials)).status).toBe(200);
  });

  it('401 without an access token; 403 for an account without a password', async () => {
    expectApiError(await new Browser(app.t).changePassword(PASSWORD, NEW_PASSWORD), 401);
    const { client } = await signInWithGoogle(app.t, google, { sub: `g-${randomUUID()}`, email: `g-${randomUUID()}@example.com`, email_verified: true });
    expectApiError(await client.changePassword(PASSWORD, NEW_PASSWORD), 403);
  });
});
