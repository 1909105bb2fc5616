import { Browser, expectApiError, PASSWORD, setCookiesOf, uniqueEmail } from '../harness';
import { AccountsApp, expectNoMail, mailsTo, mailTo, startAccountsApp, tokenIn } from './accounts-harness';

/** CONTRACT.md with `EMAIL_VERIFICATION=required`: register without a session, password sign-in only once verified. */
describe('EMAIL_VERIFICATION=required', () => {
  let app: AccountsApp;
  beforeAll(async () => (app = await startAccountsApp({ EMAIL_VERIFICATION: 'required' })));
  afterAll(() => app?.close());

  it('register: 201 {user, verificationRequired: true}, no auth cookies, a verification mail', async () => {
    const email = uniqueEmail('required');
    const client = new Browser(app.t);
    const res = await client.register({ email, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user: expect.objectContaining({ email, emailVerified: false, providers: ['password'] }), verificationRequired: true });
    const names = setCookiesOf(res).map((c) => c.name);
    expect(names).not.toContain(client.cookieNames.access);
    expect(names).not.toContain(client.cookieNames.refresh);
    expect(names).not.toContain(client.cookieNames.device);
    expectApiError(await client.me(), 401);
    await mailTo(app.smtp, email, 'verification');
  });

  it('login: 401 for a wrong password (no mail); 403 + a new link for the right one; 200 once verified', async () => {
    const email = uniqueEmail('required');
    await new Browser(app.t).register({ email, password: PASSWORD });
    await mailTo(app.smtp, email, 'verification');

    expectApiError(await new Browser(app.t).login({ email, password: 'not the password' }), 401);
    await expectNoMail(app.smtp, email, 'verification', 800);

    const client = new Browser(app.t);
    const refused = await client.login({ email, password: PASSWORD });
    expectApiError(refused, 403);
    expect(refused.body.message).toMatch(/confirm your email/i);
    expect(client.accessToken).toBeUndefined();
    await app.smtp.waitForMail(() => mailsTo(app.smtp, email, 'verification').length === 2);
    const [, fresh] = mailsTo(app.smtp, email, 'verification');

    expect((await new Browser(app.t).verifyEmail(tokenIn(fresh, 'verifyEmail'))).body.user.emailVerified).toBe(true);
    const login = await client.login({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user.emailVerified).toBe(true);
  });

  it('the links sent on refused sign-ins are rate limited (5 an hour); the answer stays 403', async () => {
    const email = uniqueEmail('required');
    await new Browser(app.t).register({ email, password: PASSWORD });
    for (let i = 0; i < 7; i++) expectApiError(await new Browser(app.t).login({ email, password: PASSWORD }), 403);
    await app.smtp.waitForMail(() => mailsTo(app.smtp, email, 'verification').length >= 6);
    await expectNoMail(app.smtp, email, 'verification', 1000);
    expect(mailsTo(app.smtp, email, 'verification')).toHaveLength(1 + 5);
  });

  it('an unknown email still gets the usual 401', async () => {
    expectApiError(await new Browser(app.t).login({ email: uniqueEmail('nobody'), password: PASSWORD }), 401);
  });
});
