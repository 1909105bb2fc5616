import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Locator, Page } from 'playwright-core';
import { BuiltServer, TestDatabase, createTestDatabase, startBuiltServer } from '@latchkey/server-testing';
import { TestUser, newUser, registerViaApi, signInThroughForm } from './support/accounts';
import { browsersClosedAfterEach, openBrowser } from './support/browser';
import { DESKTOP, PHONE as PHONE_SCREEN, afterTwoFrames, screenshots } from './support/screenshots';
import { waitForPath, waitForSessions, waitForText } from './support/waits';
import { SCREENSHOTS, assertBuilt } from './support/workspace';

const CHROME_ON_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36';
/** Where each browser signs in from, as the proxy in front of the API reports it (TRUST_PROXY). */
const HERE = '192.0.2.10';
const WORK = '198.51.100.20';
const PHONE = '203.0.113.7';

/**
 * The sessions page people can read (issue 13, "The sessions page"): each row says which browser,
 * system and kind of device, from where and when, so two sessions of one browser are told apart;
 * no second "sign out" on this device's row; a snack bar after each removal; "Sign out everywhere"
 * asks first. Screenshots: `dist/e2e-screenshots/page-account-sessions-*.png`.
 */
describe('the sessions page, in Chromium against the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;
  const browsers = browsersClosedAfterEach();

  beforeAll(async () => {
    assertBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    // The browsers stand behind a proxy on this machine, so each can have an address of its own.
    server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, TRUST_PROXY: 'loopback' });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** A browser signed in as `user` from `address` (and, given one, with another User-Agent). */
  async function signedInFrom(user: TestUser, address: string, userAgent?: string): Promise<Page> {
    const browser = await openBrowser({ baseURL: server.url });
    browsers.push(browser);
    await browser.context.setExtraHTTPHeaders({
      'X-Forwarded-For': address,
      ...(userAgent ? { 'User-Agent': userAgent } : {}),
    });
    await signInThroughForm(browser.page, user);
    return browser.page;
  }

  /** The same user on a phone, on a computer at work, and here (the same Chromium as at work). */
  async function threeDevices(label: string) {
    const user = newUser(label);
    await registerViaApi(server.url, user);
    const phone = await signedInFrom(user, PHONE, CHROME_ON_ANDROID);
    const work = await signedInFrom(user, WORK);
    const here = await signedInFrom(user, HERE);
    await here.reload();
    await waitForSessions(here);
    return { user, phone, work, here };
  }

  /** The dialog over the page as each screen shows it (a full-page shot would stretch the page under the backdrop). */
  async function dialogScreenshots(page: Page, name: string): Promise<void> {
    const before = page.viewportSize();
    for (const [suffix, size] of [['phone', PHONE_SCREEN], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(size);
      await afterTwoFrames(page);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${suffix}.png`) });
    }
    if (before) await page.setViewportSize(before);
  }

  const rows = (page: Page) => page.getByTestId('session');
  const rowFrom = (page: Page, address: string) => rows(page).filter({ hasText: address });
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('each row says which browser, system and device, from where and when; this device’s row has no button of its own', async () => {
    const { here } = await threeDevices('rows');
    // The three browsers, and the registration's own session (from Node, with its own User-Agent).
    expect(await rows(here).count()).toBe(4);

    const current = rows(here).first();
    expect(await current.getByTestId('current-session').textContent()).toBe('This device');
    expect(await text(current.getByTestId('session-where'))).toBe(`Computer · ${HERE}`);
    expect(await text(current)).toContain('Active now');
    expect(await current.getByRole('button').count()).toBe(0);
    // "Sign out" at the foot of the page is the only way to end this session.
    expect(await here.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(1);

    const phone = rowFrom(here, PHONE);
    expect(await text(phone.getByTestId('device-name'))).toBe('Chrome on Android');
    expect(await text(phone.getByTestId('session-where'))).toBe(`Phone · ${PHONE}`);

    // Two sessions of the same Chromium: the same name, told apart by the address and the times.
    const work = rowFrom(here, WORK);
    expect(await text(work.getByTestId('device-name'))).toBe('Chrome on Linux');
    expect(await text(current.getByTestId('device-name'))).toBe('Chrome on Linux');
    expect(await text(work.getByTestId('session-where'))).toBe(`Computer · ${WORK}`);
    expect(await text(work)).not.toBe(await text(current));
    const lastActive = work.getByTestId('last-active');
    expect(await text(work)).toMatch(/Last active (just now|1 minute ago)/);
    // The exact instant on hover, and for machines.
    expect(await lastActive.getAttribute('title')).toMatch(/\d{4}.*\d{2}:\d{2}:\d{2}/);
    expect(Number.isNaN(Date.parse((await lastActive.getAttribute('datetime')) ?? ''))).toBe(false);
    const buttons = await rows(here).getByRole('button', { name: 'Sign out this session' }).count();
    expect(buttons).toBe(3);

    await screenshots(here, 'page-account-sessions');
  });

  it('removing a session shows a snack bar naming it, and that browser is signed out', async () => {
    const { here, work } = await threeDevices('remove');
    await rowFrom(here, WORK).getByRole('button', { name: 'Sign out this session' }).click();
    const snackBar = here.locator('mat-snack-bar-container');
    await snackBar.getByText(`Signed out the session on Chrome on Linux (${WORK}).`).waitFor();
    await screenshots(here, 'page-account-session-removed');
    expect(await rows(here).count()).toBe(3);
    expect(await rowFrom(here, WORK).count()).toBe(0);
    // The keyboard stays in the list's section, not lost to the top of the page.
    expect(await here.evaluate(() => document.activeElement?.id)).toBe('sessions-title');

    await work.goto('/account');
    await waitForPath(work, '/login?returnUrl=%2Faccount');
  });

  it('"Sign out everywhere" asks first: Escape or Cancel changes nothing; confirmed, every device is signed out', async () => {
    const { here, phone } = await threeDevices('everywhere');
    const trigger = here.getByRole('button', { name: 'Sign out everywhere…' });
    const dialog = here.getByRole('alertdialog', { name: 'Sign out everywhere?' });

    await trigger.click();
    await dialog.waitFor();
    // The safe answer has the keyboard.
    await here.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Cancel');
    await dialogScreenshots(here, 'page-account-sign-out-everywhere');
    await here.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await trigger.evaluate((button) => button === document.activeElement)).toBe(true);

    await trigger.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(new URL(here.url()).pathname).toBe('/account');
    expect(await rows(here).count()).toBe(4);
    await phone.reload();
    await waitForSessions(phone);

    await trigger.click();
    await dialog.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await waitForPath(here, '/login');
    await waitForText(here, 'Signed out on every device.');
    await phone.goto('/account');
    await waitForPath(phone, '/login?returnUrl=%2Faccount');
  });
});
