import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { BuiltServer, TestDatabase, createTestDatabase, startBuiltServer } from '@latchkey/server-testing';
import { TestUser, fillSignInForm, newUser, registerViaApi, signInThroughForm } from './support/accounts';
import { Browser, browsersClosedAfterEach, openBrowser } from './support/browser';
import { afterTwoFrames, screenshots, sidewaysOverflow } from './support/screenshots';
import { waitForPath, waitForSessions, waitForText } from './support/waits';
import { SCREENSHOTS, assertBuilt } from './support/workspace';

const LOGIN = '/api/v1/auth/login';
const WRONG_PASSWORD = 'Email or password is incorrect.';
const SMALLEST_PHONE = { width: 320, height: 640 };

/**
 * The pages as people meet them (issue 13, "Messages and small things"): the landing page, the
 * sign-in form's messages, the show-password button, signed-in users kept off the forms, the
 * header on a small phone, and screenshots of every page (`dist/e2e-screenshots/page-*.png`).
 */
describe('the pages people meet, in Chromium against the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;
  const browsers = browsersClosedAfterEach();

  beforeAll(async () => {
    assertBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function open(): Promise<Browser> {
    const browser = await openBrowser({ baseURL: server.url });
    browsers.push(browser);
    return browser;
  }

  async function signedIn(label: string, user: TestUser = newUser(label)): Promise<{ page: Page; user: TestUser }> {
    await registerViaApi(server.url, user);
    const { page } = await open();
    await signInThroughForm(page, user);
    return { page, user };
  }

  const main = (page: Page) => page.getByRole('main');
  const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });

  /** Submits the sign-in form and waits for the API's answer; its status. */
  async function submitSignIn(page: Page): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === LOGIN),
      signInButton(page).click(),
    ]);
    return response.status();
  }

  it('the landing page says what Latchkey does, with buttons in; signed in, a button to the account', async () => {
    const { page } = await open();
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    for (const feature of ['Secure cookie sessions', 'Silent refresh', 'Every device, in your hands']) {
      await page.getByRole('heading', { name: feature }).waitFor();
    }
    const create = main(page).getByRole('link', { name: 'Create an account' });
    await create.waitFor();
    expect(await create.getAttribute('class')).toContain('mat-mdc-button-base');
    expect(await main(page).getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login');
    await create.click();
    await waitForPath(page, '/register');

    const other = await signedIn('home');
    await other.page.goto('/');
    await main(other.page).getByRole('link', { name: 'Go to your account' }).click();
    await waitForPath(other.page, '/account');
  });

  it("a wrong password: the server's message alone, the email kept, the password emptied; the password can be shown", async () => {
    const user = newUser('wrong');
    await registerViaApi(server.url, user);
    const { page } = await open();
    await page.goto('/login');
    await fillSignInForm(page, { ...user, password: 'not-the-password' });
    expect(await submitSignIn(page)).toBe(401);
    await waitForText(page, WRONG_PASSWORD);

    expect((await page.getByRole('alert').allTextContents()).map((text) => text.trim())).toEqual([WRONG_PASSWORD]);
    expect(await page.locator('mat-error').count()).toBe(0);
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email);
    const password = page.getByLabel('Password', { exact: true });
    expect(await password.inputValue()).toBe('');
    await screenshots(page, 'page-login-wrong-password');

    // Show the password while typing it again, hide it, sign in.
    await password.fill(user.password);
    await page.getByRole('button', { name: 'Show password' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    const hide = page.getByRole('button', { name: 'Hide password' });
    expect(await hide.getAttribute('aria-pressed')).toBe('true');
    // The click left the keyboard in the field.
    expect(await password.evaluate((input) => input === document.activeElement)).toBe(true);
    await hide.click();
    expect(await password.getAttribute('type')).toBe('password');
    expect(await submitSignIn(page)).toBe(200);
    await waitForPath(page, '/account');
  });

  it('too many attempts: a live countdown from Retry-After, "Forgot password?" beside it, the button back when it ends', async () => {
    const user = newUser('lockout');
    await registerViaApi(server.url, user);
    const { page } = await open();
    await page.goto('/login');
    for (let attempt = 1; attempt <= 5; attempt++) {
      await fillSignInForm(page, { ...user, password: `wrong-${attempt}` });
      expect(await submitSignIn(page)).toBe(401);
    }
    await fillSignInForm(page, { ...user, password: 'wrong-6' });
    expect(await submitSignIn(page)).toBe(429);

    const alert = page.getByTestId('server-error');
    await alert.getByText('Too many sign-in attempts.').waitFor();
    expect(await page.getByRole('timer').textContent()).toBe('Try again in 15 minutes.');
    expect(await signInButton(page).getAttribute('aria-disabled')).toBe('true');
    expect(await alert.getByRole('link', { name: 'Forgot password?' }).getAttribute('href')).toBe('/forgot-password');
    expect(await page.locator('mat-error').count()).toBe(0);
    await screenshots(page, 'page-login-too-many-attempts');

    // The end of a wait, without waiting 15 minutes: the same answer with a Retry-After of 2 s.
    await page.route(`**${LOGIN}`, (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Retry-After': '2' },
        json: { statusCode: 429, message: 'Too many failed sign-in attempts; try again later', error: 'Too Many Requests' },
      }),
    );
    await page.reload();
    await fillSignInForm(page, user);
    await signInButton(page).click();
    await page.getByRole('timer').getByText('Try again in 2 seconds.').waitFor();
    await page.getByRole('timer').getByText('Try again in 1 second.').waitFor();
    await waitForText(page, 'You can try again now.');
    expect(await page.getByRole('timer').count()).toBe(0);
    expect(await signInButton(page).getAttribute('aria-disabled')).not.toBe('true');
    await page.unroute(`**${LOGIN}`);
  });

  it('a signed-in user opening /login or /register goes on to their (safe) returnUrl, or to the account', async () => {
    const { page, user } = await signedIn('redirect');
    const nav = page.getByRole('navigation', { name: 'Account' });

    await page.goto('/login');
    await waitForPath(page, '/account');
    await waitForSessions(page);
    expect(await nav.textContent()).toContain(user.name);

    await page.goto('/register?returnUrl=%2Faccount%3Ftab%3Dsessions');
    await waitForPath(page, '/account?tab=sessions');

    await page.goto(`/login?returnUrl=${encodeURIComponent('//evil.example/account')}`);
    await waitForPath(page, '/account');
    expect(new URL(page.url()).origin).toBe(server.url);
  });

  it('the header fits a 320 px phone for a user without a name and a long email', async () => {
    const user = { ...newUser('a-long-address-without-a-name'), name: '' };
    expect(user.email.length).toBeGreaterThanOrEqual(34);
    const { page } = await signedIn('header', user);
    await page.setViewportSize(SMALLEST_PHONE);

    for (const path of ['/account', '/']) {
      await page.goto(path);
      const link = page.getByTestId('account-link');
      await link.waitFor();
      if (path === '/account') await waitForSessions(page);
      await afterTwoFrames(page);
      expect({ path, overflow: await sidewaysOverflow(page) }).toEqual({ path, overflow: 0 });
      expect(await page.evaluate(() => document.scrollingElement?.scrollWidth)).toBeLessThanOrEqual(320);
      // The address is cut short on screen; the title and the accessible name have it whole.
      expect(await link.evaluate((a) => a.scrollWidth > a.clientWidth)).toBe(true);
      expect(await link.getAttribute('title')).toBe(user.email);
      expect(await link.textContent()).toBe(user.email);
    }
    await page.goto('/account');
    await waitForSessions(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'page-account-320.png'), fullPage: true });
  });

  it('every page at 390×844 and 1280×800, for review (dist/e2e-screenshots/page-*.png)', async () => {
    const { page } = await open();
    await page.goto('/');
    await main(page).getByRole('link', { name: 'Create an account' }).waitFor();
    await screenshots(page, 'page-home');

    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshots(page, 'page-login');

    await page.goto('/register');
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await screenshots(page, 'page-register');

    await page.goto('/forgot-password');
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await screenshots(page, 'page-forgot-password');

    await page.goto('/reset-password#token=not-a-real-token');
    await page.getByLabel('New password', { exact: true }).fill('a new password');
    await page.getByLabel('Confirm new password').fill('a new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await waitForText(page, 'This reset link has expired or was already used.');
    await screenshots(page, 'page-reset-password-bad-token');

    await page.goto('/verify-email#token=not-a-real-token');
    await waitForText(page, 'This link has expired or was already used.');
    await screenshots(page, 'page-verify-email-bad-token');

    const other = await signedIn('tour');
    await screenshots(other.page, 'page-account');
    await other.page.goto('/');
    await main(other.page).getByRole('link', { name: 'Go to your account' }).waitFor();
    await screenshots(other.page, 'page-home-signed-in');
  });
});
