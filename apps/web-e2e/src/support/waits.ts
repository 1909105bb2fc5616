import { Page } from 'playwright-core';

const TIMEOUT_MS = 15_000;

/** Waits until the tab shows `path` (query ignored unless given). */
export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForURL(
    (url) => (path.includes('?') ? `${url.pathname}${url.search}` : url.pathname) === path,
    { timeout: TIMEOUT_MS },
  );
}

/** The account page has loaded: its session list is on screen. */
export async function waitForSessions(page: Page): Promise<void> {
  await page.locator('[data-testid="session"]').first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
}

export async function waitForText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
}

/** Lets time pass in the test, for tokens to expire. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
