import { randomUUID } from 'node:crypto';
import { countRows, dataSourceOf, sessionsOfUser, tokenHash } from '../auth/db';
import { FakeGoogle } from '../google/fake-google';
import type { TestApp } from '../test-app';
import { signInWithGoogle } from '../google/google-sign-in';
import { Browser, expectApiError, PASSWORD, signIn, signUp, statusWithin, uniqueEmail, uniqueIp } from '../harness';
import { AccountsApp, accountTokensOf, APP_URL, expectNoMail, mailsTo, mailTo, startAccountsApp, tokenIn } from './accounts-harness';

const INVALID_LINK = 'This link is invalid or has expired; ask for a new one';
const NEW_PASSWORD = 'a brand new passphrase';
const CALLBACK_PATH = '/api/v1/auth/google/callback';

/** CONTRACT.md `POST /auth/password/forgot` and `POST /auth/password/reset`, with a real SMTP server and two instances. */
describe('password reset', () => {
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

  async function resetLink(email: string, client = new Browser(app.t)): Promise<string> {
    const before = mailsTo(app.smtp, email, 'reset').length;
    expect((await client.forgotPassword(email)).status).toBe(202);
    const mail = await app.smtp.waitForMail(() => mailsTo(app.smtp, email, 'reset').length > before);
    return tokenIn(mailsTo(app.smtp, email, 'reset')[before] ?? mail, 'resetPassword');
  }

  it('forgot → mailed link → reset: new password works, old does not, every session (both instances) is signed out, a notice is mailed', async () => {
    const { client, credentials, user } = await signUp(app.t);
    const other = await signIn(app.t, credentials);
    const onB = other.on(b);
    expect((await onB.me()).status).toBe(200);

    const forgot = await new Browser(app.t).forgotPassword(credentials.email);
    expect(forgot.status).toBe(202);
    expect(forgot.text).toBe('');
    const mail = await mailTo(app.smtp, credentials.email, 'reset');
    expect(mail.links[0]).toMatch(new RegExp(`^${APP_URL}/reset-password#token=[A-Za-z0-9_-]{43}$`));
    expect(mail.text).not.toMatch(/\?token=/);
    const token = tokenIn(mail, 'resetPassword');
    const stored = (await accountTokensOf(app.t, user.id)).filter((row) => row.purpose === 'password_reset');
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash.equals(tokenHash(token))).toBe(true);
    expect(stored[0].expires_at.getTime() - Date.now()).toBeGreaterThan(3500_000);

    const reset = await new Browser(app.t).resetPassword(token, NEW_PASSWORD);
    expect(reset.status).toBe(204);

    expectApiError(await client.me(), 401);
    expectApiError(await other.me(), 401);
    expect(await statusWithin(1000, 401, () => onB.me())).toBe(401);
    expectApiError(await client.refresh(), 401);
    expect((await sessionsOfUser(app.t, user.id)).every((s) => s.revoked_reason === 'password_reset')).toBe(true);

    expectApiError(await new Browser(app.t).login(credentials), 401);
    const fresh = await new Browser(app.t).login({ email: credentials.email, password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
    // A used reset proves the address.
    expect(fresh.body.user).toMatchObject({ id: user.id, emailVerified: true, providers: ['password'] });

    const notice = await mailTo(app.smtp, credentials.email, 'passwordChanged');
    expect(notice.text).toMatch(/password .* was just changed/);
    expect(notice.html).toMatch(/<html/);
  });

  it('the way out of a lockout: after a reset the new password signs in at once, though the address was locked out', async () => {
    const { credentials } = await signUp(app.t);
    // Someone else guessed wrong until the address locked (each guess from a browser of its own).
    for (let i = 0; i < 5; i++) expectApiError(await new Browser(app.t).login({ email: credentials.email, password: 'a wrong guess' }), 401);
    expectApiError(await new Browser(app.t).login(credentials), 429);

    expect((await new Browser(app.t).resetPassword(await resetLink(credentials.email), NEW_PASSWORD)).status).toBe(204);
    // The reset proved the mailbox: the failed attempts against the address are forgotten, on every instance.
    expect((await new Browser(app.t).login({ email: credentials.email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('a link works once; unknown, malformed and expired tokens get the same 400', async () => {
    const { credentials, user } = await signUp(app.t);
    const token = await resetLink(credentials.email);
    expect((await new Browser(app.t).resetPassword(token, NEW_PASSWORD)).status).toBe(204);
    const used = await new Browser(app.t).resetPassword(token, 'yet another passphrase');
    expectApiError(used, 400);
    expect(used.body.message).toBe(INVALID_LINK);

    const second = await resetLink(credentials.email);
    await dataSourceOf(app.t).query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    for (const bad of [second, 'B'.repeat(43), 'short']) {
      const res = await new Browser(app.t).resetPassword(bad, 'yet another passphrase');
      expectApiError(res, 400);
      expect(res.body.message).toBe(INVALID_LINK);
    }
    expect((await new Browser(app.t).login({ email: credentials.email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('a newer link voids the older ones', async () => {
    const { credentials } = await signUp(app.t);
    const older = await resetLink(credentials.email);
    const newer = await resetLink(credentials.email);
    expectApiError(await new Browser(app.t).resetPassword(older, NEW_PASSWORD), 400);
    expect((await new Browser(app.t).resetPassword(newer, NEW_PASSWORD)).status).toBe(204);
  });

  it('concurrent resets with one link: exactly one succeeds', async () => {
    const { credentials } = await signUp(app.t);
    const token = await resetLink(credentials.email);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => new Browser(app.t).resetPassword(token, `${NEW_PASSWORD} ${i}`)));
    expect(results.map((r) => r.status).sort()).toEqual([204, 400, 400, 400, 400, 400]);
    const winner = results.findIndex((r) => r.status === 204);
    expect((await new Browser(app.t).login({ email: credentials.email, password: `${NEW_PASSWORD} ${winner}` })).status).toBe(200);
  });

  it('a bad new password is a 400 and keeps the link', async () => {
    const { credentials } = await signUp(app.t);
    const token = await resetLink(credentials.email);
    for (const password of ['short', 'x'.repeat(129)]) expectApiError(await new Browser(app.t).resetPassword(token, password), 400);
    expect((await new Browser(app.t).resetPassword(token, NEW_PASSWORD)).status).toBe(204);
  });

  it('an unknown address gets the same 202 and no mail, and writes nothing', async () => {
    const email = uniqueEmail('nobody');
    const before = { tokens: await countRows(app.t, 'account_tokens'), users: await countRows(app.t, 'users') };
    const res = await new Browser(app.t).forgotPassword(email);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    expect({ tokens: await countRows(app.t, 'account_tokens'), users: await countRows(app.t, 'users') }).toEqual(before);
    await expectNoMail(app.smtp, email, 'reset', 1000);
  });

  it('costs about the same for an unknown address as for a known one', async () => {
    const { credentials } = await signUp(app.t);
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      expect((await new Browser(app.t).forgotPassword(email)).status).toBe(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Fresh addresses each time (3 an hour per address are sent); the known ones are new accounts.
    const known: number[] = [];
    const unknown: number[] = [];
    const knownEmails = [credentials.email];
    for (let i = 0; i < 9; i++) knownEmails.push((await signUp(app.t)).credentials.email);
    for (let i = 0; i < 10; i++) {
      known.push(await time(knownEmails[i]));
      unknown.push(await time(uniqueEmail('timing')));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    // Within noise: both do the lookup, the token, the mail rendering and a transaction.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(Math.max(5, median(known)));
  });

  it('per address: past 3 an hour, still 202 but nothing is sent', async () => {
    const { credentials } = await signUp(app.t);
    for (let i = 0; i < 4; i++) expect((await new Browser(app.t).forgotPassword(credentials.email)).status).toBe(202);
    await app.smtp.waitForMail(() => mailsTo(app.smtp, credentials.email, 'reset').length >= 3);
    await expectNoMail(app.smtp, credentials.email, 'reset', 1000);
    expect(mailsTo(app.smtp, credentials.email, 'reset')).toHaveLength(3);
  });

  it('per IP: past 20 an hour, 429 + Retry-After', async () => {
    const client = new Browser(app.t, { ip: uniqueIp() });
    for (let i = 0; i < 20; i++) expect((await client.forgotPassword(uniqueEmail('flood'))).status).toBe(202);
    const res = await client.forgotPassword(uniqueEmail('flood'));
    expectApiError(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Another address is not limited.
    expect((await new Browser(app.t).forgotPassword(uniqueEmail('other'))).status).toBe(202);
  });

  it('a malformed email is a 400', async () => {
    for (const email of ['not-an-email', '', 'a@b@c.example']) expectApiError(await new Browser(app.t).forgotPassword(email), 400);
    expectApiError(await new Browser(app.t).post('auth/password/forgot', { email: 42 }), 400);
  });

  it('a Google-only account gains a password (and keeps Google)', async () => {
    const email = `g-only-${randomUUID()}@example.com`;
    const { client } = await signInWithGoogle(app.t, google, { sub: `g-${randomUUID()}`, email, email_verified: true });
    expect((await client.me()).body.user.providers).toEqual(['google']);
    const token = await resetLink(email);
    expect((await new Browser(app.t).resetPassword(token, NEW_PASSWORD)).status).toBe(204);
    const login = await new Browser(app.t).login({ email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ emailVerified: true, providers: ['password', 'google'] });
    expectApiError(await client.me(), 401);
  });

  it('the old password keeps working until the link is used', async () => {
    const { credentials } = await signUp(app.t);
    await resetLink(credentials.email);
    expect((await new Browser(app.t).login({ email: credentials.email, password: PASSWORD })).status).toBe(200);
  });
});
