import { mkdir } from 'node:fs/promises';
import { Page } from 'playwright-core';
import {
  BuiltServer,
  ReceivedMail,
  TestDatabase,
  TestSmtpServer,
  createTestDatabase,
  startBuiltServer,
  startTestSmtpServer,
} from '@latchkey/server-testing';
import { fillSignInForm, newUser, registerViaApi, signInThroughForm } from './support/accounts';
import { Browser, browsersClosedAfterEach, openBrowser } from './support/browser';
import { waitForPath, waitForSessions, waitForText } from './support/waits';
import { SCREENSHOTS, assertBuilt } from './support/workspace';
import { screenshots } from './support/screenshots';

/** The outbox sends in the background: a mail may take a few seconds to arrive. */
const MAIL_TIMEOUT_MS = 30_000;

/**
 * Accounts people can live with (issue 12), in Chromium against the built server, with its mail
 * going through a real SMTP server that this test runs and reads.
 */
describe('account mail flows in Chromium, against the built server and a real SMTP server', () => {
  let smtp: TestSmtpServer;
  const browsers = browsersClosedAfterEach();

  beforeAll(async () => {
    assertBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    smtp = await startTestSmtpServer();
  });

  afterAll(async () => {
    await smtp?.stop();
  });

  /** A built server of its own, mailing through `smtp`. */
  function useServer(env: Record<string, string> = {}) {
    const handle: { server: BuiltServer; db: TestDatabase } = {} as never;
    beforeAll(async () => {
      handle.db = await createTestDatabase();
      handle.server = await startBuiltServer({
        DATA_DIR: handle.db.dataDir,
        DATABASE_URL: handle.db.databaseUrl,
        SMTP_URL: smtp.url,
        ...env,
      });
    });
    afterAll(async () => {
      await handle.server?.stop();
      await handle.db?.drop();
    });
    return handle;
  }

  async function open(server: BuiltServer): Promise<Browser> {
    const browser = await openBrowser({ baseURL: server.url });
    browsers.push(browser);
    return browser;
  }

  /** The newest mail to `to` carrying a link to `path`, and that link. */
  async function mailedLink(to: string, path: string, after = 0): Promise<{ mail: ReceivedMail; link: URL }> {
    const hasLink = (mail: ReceivedMail) => mail.links.some((l) => new URL(l).pathname === path);
    const mail = await smtp.waitForMail(
      (m) => m.to === to && hasLink(m) && smtp.messages.indexOf(m) >= after,
      MAIL_TIMEOUT_MS,
    );
    const link = new URL(mail.links.find((l) => new URL(l).pathname === path) ?? '');
    expect(link.hash).toMatch(/^#token=[^&]{20,}$/);
    expect(mail.subject).toContain('Latchkey');
    return { mail, link };
  }

  /**
   * Where the browser goes for a mailed link: its path and fragment on the server under test.
   * (`APP_URL` defaults to `http://localhost:<port>`, the test's server answers on 127.0.0.1.)
   */
  function onServer(server: BuiltServer, link: URL): string {
    expect(link.port).toBe(new URL(server.url).port);
    return `${server.url}${link.pathname}${link.hash}`;
  }

  /** The address bar and this tab's history hold no token once the page has loaded. */
  async function expectTokenGone(page: Page, path: string): Promise<void> {
    await waitForPath(page, path);
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => location.hash)).toBe('');
  }

  describe('with EMAIL_VERIFICATION=optional (the default)', () => {
    const env = useServer();

    it('register → "verify your email" banner → Resend → the mailed link verifies, in every tab', async () => {
      const { server } = env;
      const { page, context } = await open(server);
      const user = newUser('verify');

      await page.goto('/register');
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByLabel('Name (optional)').fill(user.name);
      await page.getByRole('button', { name: 'Create account' }).click();
      await waitForPath(page, '/account');
      await waitForSessions(page);
      const banner = page.getByTestId('verify-banner');
      await banner.waitFor();
      expect(await page.getByTestId('email-status').textContent()).toBe('Not verified');
      await mailedLink(user.email, '/verify-email');

      const mark = smtp.messages.length;
      await banner.getByRole('button', { name: 'Resend' }).click();
      await waitForText(page, `We sent a new verification link to ${user.email}.`);
      await screenshots(page, 'account-unverified');
      const { link } = await mailedLink(user.email, '/verify-email', mark);

      // The user opens the link from their mail: a new tab of the same browser.
      const tab = await context.newPage();
      await tab.goto(onServer(server, link));
      await expectTokenGone(tab, '/verify-email');
      await waitForText(tab, `Your email address ${user.email} is verified.`);
      await screenshots(tab, 'verify-email');

      // The account page in the first tab heard it.
      await banner.waitFor({ state: 'detached' });
      expect(await page.getByTestId('email-status').textContent()).toBe('Verified');

      await tab.getByRole('link', { name: 'Continue to your account' }).click();
      await waitForPath(tab, '/account');
      await waitForSessions(tab);
      expect(await tab.getByTestId('email-status').textContent()).toBe('Verified');

      // A link works once.
      await tab.goto(onServer(server, link));
      await waitForText(tab, 'This link has expired or was already used.');
      await screenshots(tab, 'verify-email-bad-link');
    });

    it('forgot → reset: the other browser is signed out, the new password signs in', async () => {
      const { server } = env;
      const user = newUser('reset');
      await registerViaApi(server.url, user);
      const elsewhere = await open(server);
      await signInThroughForm(elsewhere.page, user);

      const { page } = await open(server);
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await screenshots(page, 'login');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForText(page, 'Enter your password.');
      await screenshots(page, 'login-errors');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await waitForPath(page, '/forgot-password');
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await screenshots(page, 'forgot-password');
      await page.getByLabel('Email').fill(user.email);
      const mark = smtp.messages.length;
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await waitForText(page, "If an account exists for that address, we've sent a link");
      await screenshots(page, 'forgot-password-sent');

      // An unknown address gets the very same answer (and no mail).
      await page.getByRole('button', { name: 'Use another address' }).click();
      await page.getByLabel('Email').fill(`nobody-${user.email}`);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await waitForText(page, "If an account exists for that address, we've sent a link");

      const { link } = await mailedLink(user.email, '/reset-password', mark);
      await page.goto(onServer(server, link));
      await expectTokenGone(page, '/reset-password');
      const newPassword = `${user.password}-new`;
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByLabel('Confirm new password').fill(`${newPassword}x`);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await waitForText(page, 'The two passwords are not the same.');
      await page.getByLabel('Confirm new password').fill(newPassword);
      await screenshots(page, 'reset-password');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await waitForPath(page, '/login');
      await waitForText(page, 'Your password has been changed. Sign in with your new password.');
      await screenshots(page, 'login-after-reset');
      expect(smtp.messages.some((m) => m.to === `nobody-${user.email}`)).toBe(false);

      // Every session of the account ended: the other browser is sent to sign in.
      await elsewhere.page.goto('/account');
      await waitForPath(elsewhere.page, '/login?returnUrl=%2Faccount');

      // The old password is gone, the new one works.
      await fillSignInForm(page, user);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForText(page, 'Email or password is incorrect.');
      await fillSignInForm(page, { ...user, password: newPassword });
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForPath(page, '/account');
      await waitForSessions(page);
      expect(await page.getByTestId('session').count()).toBe(1);

      // The reset link is spent.
      await page.goto(onServer(server, link));
      await expectTokenGone(page, '/reset-password');
      await page.getByLabel('New password', { exact: true }).fill('another password');
      await page.getByLabel('Confirm new password').fill('another password');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await waitForText(page, 'This reset link has expired or was already used.');
      await page.getByRole('link', { name: 'Request a new link' }).waitFor();
      await screenshots(page, 'reset-password-bad-link');
    });

    it('the account page changes the name, the password and the email', async () => {
      const { server } = env;
      const user = newUser('settings');
      await registerViaApi(server.url, user);
      const elsewhere = await open(server);
      await signInThroughForm(elsewhere.page, user);
      const { page } = await open(server);
      await signInThroughForm(page, user);

      await page.getByRole('button', { name: 'Edit name' }).click();
      await page.getByLabel('Your name').fill('Ada King');
      await page.getByRole('button', { name: 'Save name' }).click();
      await waitForText(page, 'Name saved.');
      expect(await page.getByTestId('user-name').textContent()).toBe('Ada King');
      expect(await page.getByRole('navigation', { name: 'Account' }).textContent()).toContain('Ada King');

      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password', { exact: true }).fill(`${user.password}-2`);
      await screenshots(page, 'account-change-password');
      await page.locator('lk-password-editor form').getByRole('button', { name: 'Change password' }).click();
      await waitForText(page, 'Your current password is not right.');
      await page.getByLabel('Current password').fill(user.password);
      await page.locator('lk-password-editor form').getByRole('button', { name: 'Change password' }).click();
      await waitForText(page, 'Password changed. Your other sessions were signed out.');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
      await elsewhere.page.goto('/account');
      await waitForPath(elsewhere.page, '/login?returnUrl=%2Faccount');

      const newEmail = `new-${user.email}`;
      await page.getByRole('button', { name: 'Change email' }).click();
      await page.getByLabel('New email address').fill(newEmail);
      await page.getByLabel('Your password').fill(`${user.password}-2`);
      await screenshots(page, 'account-change-email');
      const mark = smtp.messages.length;
      await page.getByRole('button', { name: 'Send confirmation link' }).click();
      await waitForText(page, `We sent a confirmation link to ${newEmail}.`);
      expect(await page.getByTestId('user-email').textContent()).toBe(user.email);
      const { link } = await mailedLink(newEmail, '/verify-email', mark);

      await page.goto(onServer(server, link));
      await expectTokenGone(page, '/verify-email');
      await waitForText(page, `Your email address ${newEmail} is verified.`);
      await page.getByRole('link', { name: 'Continue to your account' }).click();
      await waitForSessions(page);
      expect(await page.getByTestId('user-email').textContent()).toBe(newEmail);
      await screenshots(page, 'account');
      // The old address is told.
      await smtp.waitForMail((m) => m.to === user.email && smtp.messages.indexOf(m) >= mark, MAIL_TIMEOUT_MS);
    });

    it('deletes the account after a confirmation naming it; every tab forgets the user', async () => {
      const { server } = env;
      const user = newUser('delete');
      await registerViaApi(server.url, user);
      const { page, context } = await open(server);
      await signInThroughForm(page, user);
      const other = await context.newPage();
      await other.goto('/account');
      await waitForSessions(other);

      await page.getByRole('button', { name: 'Delete account…' }).click();
      await page.getByRole('heading', { name: `Delete ${user.email}?` }).waitFor();
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await waitForText(page, "Enter your password to confirm it's you.");
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await waitForText(page, 'That password is not right.');
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await screenshots(page, 'account-delete');
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await waitForPath(page, '/');
      await waitForText(page, 'Your account was deleted.');
      await waitForPath(other, '/login');

      // Gone for good: its credentials sign nobody in.
      await page.goto('/login');
      await fillSignInForm(page, user);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForText(page, 'Email or password is incorrect.');
    });
  });

  describe('with EMAIL_VERIFICATION=required', () => {
    const env = useServer({ EMAIL_VERIFICATION: 'required' });

    it('register → "check your email" → the mailed link → sign in', async () => {
      const { server } = env;
      const { page } = await open(server);
      const user = newUser('required');
      const mark = smtp.messages.length;

      await page.goto('/register');
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await screenshots(page, 'register-check-email');

      // Not before the address is proven.
      await page.goto('/login');
      await fillSignInForm(page, user);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForText(page, 'Please verify your email address first.');
      const { link } = await mailedLink(user.email, '/verify-email', mark);

      await page.goto(onServer(server, link));
      await expectTokenGone(page, '/verify-email');
      await waitForText(page, `Your email address ${user.email} is verified.`);
      await page.getByRole('link', { name: 'Sign in to continue' }).click();
      await waitForPath(page, '/login?returnUrl=%2Faccount');
      await fillSignInForm(page, user);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await waitForPath(page, '/account');
      await waitForSessions(page);
      expect(await page.getByTestId('email-status').textContent()).toBe('Verified');
    });
  });
});
