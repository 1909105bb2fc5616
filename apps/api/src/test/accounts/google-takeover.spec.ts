import { randomUUID } from 'node:crypto';
import { FakeGoogle } from '../google/fake-google';
import type { TestApp } from '../test-app';
import { signInWithGoogle } from '../google/google-sign-in';
import { Browser, expectApiError, PASSWORD, signUp, statusWithin, uniqueEmail } from '../harness';
import { AccountsApp, mailTo, startAccountsApp, tokenIn } from './accounts-harness';

const CALLBACK_PATH = '/api/v1/auth/google/callback';

/**
 * The pre-account takeover (CONTRACT.md "Email", Google linking): someone
 * registers the victim's address with a password of theirs and never proves
 * it; the victim later signs in with Google, which vouches for the address.
 * The account becomes the victim's alone: the squatter's password and every
 * session opened with it stop working, on every instance.
 */
describe('Google sign-in to an account whose email nobody proved (pre-account takeover)', () => {
  let google: FakeGoogle;
  let app: AccountsApp;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    google = await FakeGoogle.start();
    app = await startAccountsApp(google.env(CALLBACK_PATH));
    a = app.t;
    b = (await startAccountsApp(google.env(CALLBACK_PATH), { sameDatabaseAs: a, smtp: app.smtp })).t;
  });
  afterAll(async () => {
    await b?.close();
    await app?.close();
    await google?.stop();
  });

  it('the squatter’s password and sessions stop working; the victim owns the account', async () => {
    const email = uniqueEmail('victim');
    const squatter = await signUp(a, { tag: 'squatter' });
    // The squatter registers the victim's address, not a throwaway one.
    const squat = new Browser(a);
    expect((await squat.register({ email, password: PASSWORD, name: 'Not the victim' })).status).toBe(201);
    const squatterId = (await squat.me()).body.user.id as string;
    const squatOnB = squat.on(b);
    expect((await squatOnB.me()).status).toBe(200);
    const squatterSecondSession = new Browser(a);
    expect((await squatterSecondSession.login({ email, password: PASSWORD })).status).toBe(200);

    const { client: victim, landing } = await signInWithGoogle(a, google, { sub: `g-${randomUUID()}`, email, email_verified: true, name: 'Victor Victim' });
    expect(landing.status).toBe(302);
    expect(landing.headers['location']).toBe('/');
    const me = await victim.me();
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual({ id: squatterId, email, emailVerified: true, name: 'Victor Victim', picture: null, providers: ['google'] });

    // The squatter's password is gone ...
    expectApiError(await new Browser(a).login({ email, password: PASSWORD }), 401);
    // ... and so is every session it opened, at once here and within 1 s on the other instance.
    expectApiError(await squat.me(), 401);
    expectApiError(await squatterSecondSession.me(), 401);
    expect(await statusWithin(1000, 401, () => squatOnB.me())).toBe(401);
    expectApiError(await squat.refresh(), 401);
    expectApiError(await squatterSecondSession.refresh(), 401);

    // The victim's own session is untouched, and the bystander's account too.
    expect((await victim.me()).status).toBe(200);
    expect((await victim.refresh()).status).toBe(200);
    expect((await squatter.client.me()).status).toBe(200);
  });

  it('the links the squatter asked for die with the takeover: an email change to their own address does nothing', async () => {
    const email = uniqueEmail('victim');
    const squat = new Browser(a);
    expect((await squat.register({ email, password: PASSWORD })).status).toBe(201);
    const squattersOwn = uniqueEmail('squatter-own');
    expect((await squat.changeEmail(squattersOwn, PASSWORD)).status).toBe(202);
    const handBack = tokenIn(await mailTo(app.smtp, squattersOwn, 'emailChange'), 'verifyEmail');

    const { client: victim } = await signInWithGoogle(a, google, { sub: `g-${randomUUID()}`, email, email_verified: true });
    expectApiError(await new Browser(a).verifyEmail(handBack), 400);
    expect((await victim.me()).body.user).toMatchObject({ email, providers: ['google'] });
  });

  it('an account whose email is verified is linked instead: its password and sessions keep working', async () => {
    const { client, credentials, user } = await signUp(a);
    const token = tokenIn(await mailTo(app.smtp, credentials.email, 'verification'), 'verifyEmail');
    expect((await new Browser(a).verifyEmail(token)).status).toBe(200);

    const { client: viaGoogle } = await signInWithGoogle(a, google, { sub: `g-${randomUUID()}`, email: credentials.email, email_verified: true, name: 'Linked' });
    expect((await viaGoogle.me()).body.user).toEqual({ ...user, emailVerified: true, name: 'Linked', providers: ['password', 'google'] });
    expect((await client.me()).status).toBe(200);
    expect((await client.refresh()).status).toBe(200);
    expect((await new Browser(a).login(credentials)).status).toBe(200);
  });

  it('an account created by a Google sign-in starts verified', async () => {
    const email = uniqueEmail('new-google');
    const { client } = await signInWithGoogle(a, google, { sub: `g-${randomUUID()}`, email, email_verified: true });
    expect((await client.me()).body.user).toMatchObject({ email, emailVerified: true, providers: ['google'] });
  });
});
