import { countRows, dataSourceOf, tokenHash } from '../auth/db';
import { Browser, expectApiError, PASSWORD, signUp, uniqueEmail } from '../harness';
import { AccountsApp, accountTokensOf, APP_URL, expectNoMail, mailsTo, mailTo, startAccountsApp, tokenIn } from './accounts-harness';

const INVALID_LINK = 'This link is invalid or has expired; ask for a new one';

/** CONTRACT.md: register's verification mail, `POST /auth/email/verification`, `POST /auth/email/verify` (verification links). */
describe('email verification (real SMTP server)', () => {
  let app: AccountsApp;
  beforeAll(async () => (app = await startAccountsApp()));
  afterAll(() => app?.close());

  it('register mails a verification link (token in the fragment); using it verifies the address once', async () => {
    const { client, credentials, user } = await signUp(app.t);
    expect(user.emailVerified).toBe(false);
    const mail = await mailTo(app.smtp, credentials.email, 'verification');
    expect(mail.links[0]).toMatch(new RegExp(`^${APP_URL}/verify-email#token=[A-Za-z0-9_-]{43}$`));
    expect(mail.html).toContain(mail.links[0]);
    const token = tokenIn(mail, 'verifyEmail');

    // Only the SHA-256 of the token is stored, nowhere the token itself.
    const [row] = await accountTokensOf(app.t, user.id);
    expect(row).toMatchObject({ purpose: 'email_verification', used_at: null, new_email: null });
    expect(row.token_hash.equals(tokenHash(token))).toBe(true);

    const verified = await new Browser(app.t).verifyEmail(token);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ user: { ...user, emailVerified: true } });
    expect((await client.me()).body.user.emailVerified).toBe(true);

    const again = await new Browser(app.t).verifyEmail(token);
    expectApiError(again, 400);
    expect(again.body.message).toBe(INVALID_LINK);
  });

  it('answers unknown, malformed and expired tokens with one 400 message', async () => {
    const { credentials, user } = await signUp(app.t);
    const token = tokenIn(await mailTo(app.smtp, credentials.email, 'verification'), 'verifyEmail');
    await dataSourceOf(app.t).query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    for (const bad of [token, 'A'.repeat(43), 'not-a-token', '']) {
      const res = await new Browser(app.t).verifyEmail(bad);
      expectApiError(res, 400);
      if (bad !== '') expect(res.body.message).toBe(INVALID_LINK);
    }
    expect((await new Browser(app.t).login(credentials)).body.user.emailVerified).toBe(false);
  });

  it('POST /auth/email/verification mails a new link; 202 without a mail once verified', async () => {
    const { client, credentials } = await signUp(app.t);
    await mailTo(app.smtp, credentials.email, 'verification');
    const res = await client.requestVerification();
    expect(res.status).toBe(202);
    await app.smtp.waitForMail((m) => m.to === credentials.email && mailsTo(app.smtp, credentials.email, 'verification').length === 2);
    const [first, second] = mailsTo(app.smtp, credentials.email, 'verification');
    expect(tokenIn(second, 'verifyEmail')).not.toBe(tokenIn(first, 'verifyEmail'));
    // An older link proves the same address: it still works.
    expect((await new Browser(app.t).verifyEmail(tokenIn(first, 'verifyEmail'))).status).toBe(200);

    expect((await client.requestVerification()).status).toBe(202);
    await expectNoMail(app.smtp, credentials.email, 'verification', 1000);
    expect(mailsTo(app.smtp, credentials.email, 'verification')).toHaveLength(2);
  });

  it('POST /auth/email/verification: past 5 an hour, 429 + Retry-After', async () => {
    const { client } = await signUp(app.t);
    for (let i = 0; i < 5; i++) expect((await client.requestVerification()).status).toBe(202);
    const res = await client.requestVerification();
    expectApiError(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
  });

  it('POST /auth/email/verification needs an access token', async () => {
    expectApiError(await new Browser(app.t).requestVerification(), 401);
  });

  it('register’s mail is queued with the user: a refused registration leaves neither a token nor a mail', async () => {
    const { credentials } = await signUp(app.t);
    await mailTo(app.smtp, credentials.email, 'verification');
    const before = { users: await countRows(app.t, 'users'), tokens: await countRows(app.t, 'account_tokens'), outbox: await outboxRows(app) };
    expectApiError(await new Browser(app.t).register({ email: credentials.email, password: PASSWORD }), 409);
    expect({ users: await countRows(app.t, 'users'), tokens: await countRows(app.t, 'account_tokens'), outbox: await outboxRows(app) }).toEqual(before);
    await expectNoMail(app.smtp, credentials.email, 'verification', 500);
    expect(mailsTo(app.smtp, credentials.email, 'verification')).toHaveLength(1);
  });

  it('refuses an address the outbox could not deliver to one mailbox (400, nothing written)', async () => {
    const res = await new Browser(app.t).register({ email: `"two words"@example.com`, password: PASSWORD });
    expectApiError(res, 400);
    expect((await new Browser(app.t).register({ email: uniqueEmail('plain'), password: PASSWORD })).status).toBe(201);
  });
});

async function outboxRows(app: AccountsApp): Promise<number> {
  const [row] = await dataSourceOf(app.t).query(`SELECT count(*)::int AS n FROM mail_outbox`);
  return row.n;
}
