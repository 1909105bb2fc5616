import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { fillSignInForm, newUser, registerViaApi, signInThroughForm } from './support/accounts';
import { Browser, browsersClosedAfterEach, openBrowser } from './support/browser';
import { BuiltServer, startBuiltServer } from '@latchkey/server-testing';
import { RequestLog } from './support/request-log';
import { TestDatabase, createTestDatabase } from '@latchkey/server-testing';
import { sleep, waitForPath, waitForSessions, waitForText } from './support/waits';
import { SCREENSHOTS, assertBuilt } from './support/workspace';

const ACCESS_TOKEN_TTL_SECONDS = 3;
/** Past the access token's expiry, with a margin for a token issued just before the wait. */
const EXPIRY_WAIT_MS = ACCESS_TOKEN_TTL_SECONDS * 1000 + 1500;
const REFRESH = '/api/v1/auth/refresh';
const LOST_CONNECTION = 'Lost connection. Please refresh or log in again.';
/** Longer than the second after which the app shows progress. */
const SLOW_REFRESH_MS = 1500;

/** The counts measured, printed at the end for the record. */
const measured: Record<string, number> = {};

describe('Latchkey in Chromium, against the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;
  /** Closed after each test, passed or failed. */
  const browsers = browsersClosedAfterEach();

  beforeAll(async () => {
    assertBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    server = await startBuiltServer({
      DATA_DIR: db.dataDir,
      DATABASE_URL: db.databaseUrl,
      ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    console.log(`[web-e2e] refresh requests measured: ${JSON.stringify(measured)}`);
  });

  async function open(): Promise<Browser> {
    const browser = await openBrowser({ baseURL: server.url });
    browsers.push(browser);
    return browser;
  }
  /** Another browser (another device) for the same test. */
  const openAnother = open;
  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Closes the app in this tab and waits until its access token is dead. */
  async function leaveUntilExpired(page: Page): Promise<void> {
    await page.goto('about:blank');
    await sleep(EXPIRY_WAIT_MS);
  }

  it('registers and signs in through the forms', async () => {
    const { page, context } = await open();
    const log = new RequestLog(context);
    const user = newUser('forms');

    await page.goto('/register');
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await screenshot(page, 'register');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByLabel('Name (optional)').fill(user.name);
    await page.getByRole('button', { name: 'Create account' }).click();
    await waitForPath(page, '/account');
    await waitForSessions(page);
    await waitForText(page, user.email);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForPath(page, '/login');

    // A wrong password is answered inline, from the server's 401.
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForText(page, 'Email or password is incorrect.');
    await screenshot(page, 'login-error');

    const mark = log.mark();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'login');
    await fillSignInForm(page, user);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForPath(page, '/account');
    await waitForSessions(page);
    expect(await page.getByTestId('user-name').textContent()).toBe(user.name);
    expect(await page.getByTestId('current-session').count()).toBe(1);
    await screenshot(page, 'account');

    expect(log.count(mark, 'POST', '/api/v1/auth/login')).toBe(1);
  });

  it('after the access token expired, opening /account makes exactly ONE refresh', async () => {
    const { page, context } = await open();
    const log = new RequestLog(context);
    const user = newUser('expiry');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    await leaveUntilExpired(page);

    const mark = log.mark();
    await page.goto('/account');
    await waitForSessions(page);
    const refreshes = log.count(mark, 'POST', REFRESH);
    measured['open /account after expiry'] = refreshes;
    expect(refreshes).toBe(1);
    // The page's two calls went out together, after the shared refresh.
    expect(log.count(mark, 'GET', '/api/v1/auth/sessions')).toBe(1);
    expect(log.count(mark, 'GET', '/api/v1/auth/me')).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('current-session').count()).toBe(1);
  });

  it("after expiry inside the app, the account page's concurrent /me + /sessions wait on ONE (slow) refresh", async () => {
    const { page, context } = await open();
    const log = new RequestLog(context);
    const user = newUser('in-app');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    await page.getByRole('link', { name: 'Latchkey', exact: true }).click();
    await waitForPath(page, '/');

    // Offline, the app's own early refresh waits, so the token really expires in the open tab.
    await context.setOffline(true);
    await sleep(EXPIRY_WAIT_MS);
    // A slow refresh: both calls of the page are sure to meet their 401 while it runs.
    await context.route(`**${REFRESH}`, async (route) => {
      await sleep(SLOW_REFRESH_MS);
      await route.continue();
    });
    const mark = log.mark();
    await context.setOffline(false);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link').click();
    await waitForPath(page, '/account');
    // Over a second: the progress bar shows, then goes.
    await page.getByRole('progressbar', { name: 'Reconnecting your session' }).waitFor({ state: 'visible' });
    await waitForSessions(page);
    expect(await page.getByRole('progressbar').count()).toBe(0);

    const refreshes = log.count(mark, 'POST', REFRESH);
    measured['in-app /account after expiry (slow refresh)'] = refreshes;
    expect(refreshes).toBe(1);
    expect(await log.statuses(mark, 'GET', '/api/v1/auth/me')).toEqual([401, 200]);
    expect(await log.statuses(mark, 'GET', '/api/v1/auth/sessions')).toEqual([401, 200]);
  });

  it('three tabs opened after expiry share ONE refresh between them', async () => {
    const { page, context } = await open();
    const log = new RequestLog(context);
    const user = newUser('tabs');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    await leaveUntilExpired(page);

    const tabs = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
    const mark = log.mark();
    await Promise.all(tabs.map((tab) => tab.goto('/account')));
    await Promise.all(tabs.map((tab) => waitForSessions(tab)));

    const refreshes = log.count(mark, 'POST', REFRESH);
    measured['three tabs after expiry'] = refreshes;
    expect(refreshes).toBe(1);
    // Each tab did ask (and was told 401) before the one refresh.
    expect(log.count(mark, 'GET', '/api/v1/auth/me')).toBeGreaterThanOrEqual(3);
  });

  it('when refresh is cut off: the lost-connection message and the login page', async () => {
    const { page, context } = await open();
    const log = new RequestLog(context);
    const user = newUser('cutoff');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    await leaveUntilExpired(page);

    await context.route(`**${REFRESH}`, (route) => route.abort('connectionfailed'));
    const mark = log.mark();
    await page.goto('/account');
    await waitForText(page, LOST_CONNECTION);
    await waitForPath(page, '/login?returnUrl=%2Faccount');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'lost-connection');

    // The one retry after the backoff, then no more.
    const attempts = log.count(mark, 'POST', REFRESH);
    measured['refresh cut off (attempts)'] = attempts;
    expect(attempts).toBe(2);
  });

  it('when refresh is cut off while the app is open: the same message and the login page', async () => {
    const { page, context } = await open();
    const user = newUser('cutoff-open');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    await page.getByRole('link', { name: 'Latchkey', exact: true }).click();
    await waitForPath(page, '/');

    await context.route(`**${REFRESH}`, (route) => route.abort('connectionfailed'));
    await sleep(EXPIRY_WAIT_MS); // the early refresh fails quietly in the background
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link').click();
    await waitForText(page, LOST_CONNECTION);
    await waitForPath(page, '/login?returnUrl=%2Faccount');
  });

  it('logout in one tab takes the other tab to the login page', async () => {
    const { page, context } = await open();
    const user = newUser('logout');
    await registerViaApi(server.url, user);
    await signInThroughForm(page, user);
    const other = await context.newPage();
    await other.goto('/account');
    await waitForSessions(other);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForPath(page, '/login');
    await waitForPath(other, '/login');
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();

    // And the session is really over: the account page sends the tab back to login.
    await other.goto('/account');
    await waitForPath(other, '/login?returnUrl=%2Faccount');
  });

  it('signs out another session from the list, and everywhere', async () => {
    const { page } = await open();
    const user = newUser('sessions');
    await registerViaApi(server.url, user); // a session of its own, from Node
    const elsewhere = await openAnother();
    await signInThroughForm(elsewhere.page, user);
    await signInThroughForm(page, user);
    const sessions = page.getByTestId('session');
    expect(await sessions.count()).toBe(3);

    // Sign out every other session, one at a time, from this device's list.
    const others = sessions.filter({ hasNot: page.getByTestId('current-session') });
    for (let left = 2; left > 0; left--) {
      await others.first().getByRole('button', { name: 'Sign out this session' }).click();
      await page.waitForFunction(
        (count) => document.querySelectorAll('[data-testid="session"]').length === count,
        left,
      );
    }
    await waitForText(page, 'Signed out the session on');
    await elsewhere.page.goto('/account');
    await waitForPath(elsewhere.page, '/login?returnUrl=%2Faccount');

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await waitForPath(page, '/login');
    await waitForText(page, 'Signed out on every device.');
  });
});
