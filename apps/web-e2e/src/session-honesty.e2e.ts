import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { BuiltServer, TestDatabase, createTestDatabase, startBuiltServer } from '@latchkey/server-testing';
import { newUser, registerViaApi, signInThroughForm } from './support/accounts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/browser';
import { screenshots } from './support/screenshots';
import { waitForPath, waitForSessions } from './support/waits';
import { SCREENSHOTS, assertBuilt } from './support/workspace';

const PENDING_LOGOUT_KEY = 'latchkey:pending-logout';
const LOGOUT = '/api/v1/auth/logout';

/**
 * The browser profile kept on disk, as when the user closes the browser and opens it
 * again: cookies, localStorage and the service worker survive the close.
 */
async function launch(profile: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL,
    serviceWorkers: 'allow',
    viewport: { width: 390, height: 844 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
}

/** Another browser of the same user: signs in over the API and ends every session of the user. */
async function signOutEverywhereFromAnotherDevice(baseUrl: string, user: { email: string; password: string }): Promise<void> {
  const xsrf = 'e2e-other-device';
  const headers = { 'Content-Type': 'application/json', Cookie: `XSRF-TOKEN=${xsrf}`, 'X-XSRF-TOKEN': xsrf };
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email: user.email, password: user.password }) });
  expect(login.status).toBe(200);
  const access = login.headers.getSetCookie().find((line) => line.startsWith('access_token='))?.split(';')[0];
  const everywhere = await fetch(`${baseUrl}/api/v1/auth/logout-all`, { method: 'POST', headers: { ...headers, Cookie: `${headers.Cookie}; ${access}` } });
  expect(everywhere.status).toBe(204);
}

/** Until the service worker controls the page: the app shell then loads offline. */
async function installServiceWorker(context: BrowserContext): Promise<void> {
  const page = context.pages()[0];
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // The lazy pages too: the service worker prefetches the app's files once installed.
  await page.waitForFunction(async () => (await caches.keys()).some((name) => name.includes(':assets:')), undefined, { timeout: 30_000 });
}

describe('what a page says about the session (first visit, offline), in Chromium against the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;
  let profile: string;
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    assertBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
  });
  beforeEach(async () => (profile = await mkdtemp(join(tmpdir(), 'latchkey-e2e-offline-'))));
  afterEach(async () => {
    await context?.close();
    context = null;
    await rm(profile, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('a first anonymous visit asks the API nothing about a session, and logs no red console line', async () => {
    context = await launch(profile, server.url);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const sessionCalls: string[] = [];
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/api/v1/auth/me' || path === '/api/v1/auth/refresh') sessionCalls.push(path);
    });
    for (const path of ['/', '/login', '/account']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    }
    await waitForPath(page, '/login');
    expect(sessionCalls).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('signing out offline signs out: the logout goes out first when the network is back, after the browser was closed and reopened', async () => {
    const user = newUser('offline-signout');
    await registerViaApi(server.url, user);
    context = await launch(profile, server.url);
    const page = context.pages()[0] ?? (await context.newPage());
    await signInThroughForm(page, user);
    await installServiceWorker(context);
    const refreshToken = (await context.cookies()).find((c) => c.name === 'refresh_token')?.value;
    expect(refreshToken).toBeTruthy();

    await context.setOffline(true);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForPath(page, '/login');
    // Nothing shows the user any more, in this tab or another.
    expect(await page.getByText(user.email).count()).toBe(0);
    const second = await context.newPage();
    await second.goto('/account');
    await waitForPath(second, '/login');
    expect(await second.getByText(user.email).count()).toBe(0);
    expect(await page.evaluate((key) => localStorage.getItem(key), PENDING_LOGOUT_KEY)).not.toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS, 'offline-signed-out-390.png'), fullPage: true });
    await context.close();

    // Reopened online: the kept logout is the first API request, and it ends the session.
    context = await launch(profile, server.url);
    const apiCalls: string[] = [];
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/') && path !== '/api/v1/auth/providers') apiCalls.push(`${request.method()} ${path}`);
    });
    const logout = context.waitForEvent('response', (response) => new URL(response.url()).pathname === LOGOUT);
    const reopened = context.pages()[0] ?? (await context.newPage());
    await reopened.goto('/account');
    expect((await logout).status()).toBe(204);
    await waitForPath(reopened, '/login');
    expect(apiCalls[0]).toBe(`POST ${LOGOUT}`);
    const names = (await context.cookies()).map((c) => c.name);
    expect(names).not.toContain('access_token');
    expect(names).not.toContain('refresh_token');
    expect(await reopened.evaluate((key) => localStorage.getItem(key), PENDING_LOGOUT_KEY)).toBeNull();
    // The server ended the session: its refresh token opens nothing.
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { Cookie: `refresh_token=${refreshToken}; XSRF-TOKEN=x`, 'X-XSRF-TOKEN': 'x' },
    });
    expect(refresh.status).toBe(401);
  });

  it('a tab whose sibling signed out goes to the login page and says why', async () => {
    const user = newUser('sibling-tab');
    await registerViaApi(server.url, user);
    context = await launch(profile, server.url);
    const first = context.pages()[0] ?? (await context.newPage());
    await signInThroughForm(first, user);
    const second = await context.newPage();
    await second.goto('/account');
    await second.getByText(user.email).first().waitFor();

    await first.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForPath(first, '/login');
    await waitForPath(second, '/login');
    await second.getByText('You signed out in another tab.').waitFor();
    expect(await second.getByText(user.email).count()).toBe(0);
    // The tab that signed out knows why; it is not told about another tab.
    expect(await first.getByText('You signed out in another tab.').count()).toBe(0);
    await screenshots(second, 'page-login-signed-out-in-another-tab');
  });

  it('a device whose session was ended from elsewhere says so on its login page', async () => {
    const user = newUser('revoked-device');
    await registerViaApi(server.url, user);
    context = await launch(profile, server.url);
    const page = context.pages()[0] ?? (await context.newPage());
    await signInThroughForm(page, user);

    // The user's other device signs out everywhere.
    await signOutEverywhereFromAnotherDevice(server.url, user);
    await page.reload();
    await waitForPath(page, '/login');
    await page.getByText('You were signed out on this device. Please sign in again.').waitFor();
    expect(await page.getByText(user.email).count()).toBe(0);
    await screenshots(page, 'page-login-signed-out-on-this-device');
  });

  it('a reload offline keeps a signed-in user’s pages readable, and says the data may be out of date', async () => {
    const user = newUser('offline-reload');
    await registerViaApi(server.url, user);
    context = await launch(profile, server.url);
    const page = context.pages()[0] ?? (await context.newPage());
    await signInThroughForm(page, user);
    await installServiceWorker(context);
    await page.goto('/account');
    await page.getByText(user.email).first().waitFor();

    await context.setOffline(true);
    await page.reload();
    await page.getByText(user.email).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.getByTestId('offline-banner').waitFor();
    // The account page says what it can and cannot show, not "Something went wrong".
    const notice = page.getByTestId('account-offline');
    await notice.getByText("You're offline.").waitFor();
    expect(await notice.textContent()).toContain('may be out of date');
    await page.getByTestId('sessions-unavailable').waitFor();
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    // Read-only: the editors are there, switched off, and say why.
    const editName = page.getByRole('button', { name: 'Edit name' });
    expect(await editName.getAttribute('aria-disabled')).toBe('true');
    expect(await editName.getAttribute('aria-describedby')).toBe('account-read-only-note');
    await screenshots(page, 'page-account-offline');
    await page.screenshot({ path: join(SCREENSHOTS, 'offline-reload-account-390.png'), fullPage: true });

    // Back online the app checks with the API, and the page loads again by itself: the sessions are back.
    await context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    await waitForSessions(page);
    await notice.waitFor({ state: 'detached' });
    expect(await editName.getAttribute('aria-disabled')).not.toBe('true');
    await page.reload();
    await page.getByText(user.email).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
  });
});
