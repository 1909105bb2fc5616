import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserOptions {
  baseURL: string;
  /** `block` (default) keeps the service worker out of request counts. */
  serviceWorkers?: 'allow' | 'block';
}

export interface Browser {
  readonly context: BrowserContext;
  /** The tab the browser opened with. */
  readonly page: Page;
  /** Uncaught errors and Content-Security-Policy refusals in any tab so far. */
  problems(): string[];
  close(): Promise<void>;
}

/** A browser with a fresh profile of its own: its own cookies, storage, locks and channels. */
export async function openBrowser(options: BrowserOptions): Promise<Browser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL: options.baseURL,
    serviceWorkers: options.serviceWorkers ?? 'block',
    viewport: { width: 1000, height: 760 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const problems: string[] = [];
  const watch = (tab: Page) => tab.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  context.pages().forEach(watch);
  context.on('page', watch);
  context.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems: () => [...problems],
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where a test file keeps the browsers its tests open: after each test they
 * are closed, and the test fails if any of them met a problem (an uncaught
 * error, a CSP violation). Call it in the `describe` body.
 */
export function browsersClosedAfterEach(): Browser[] {
  const browsers: Browser[] = [];
  afterEach(async () => {
    const used = browsers.splice(0);
    const problems = used.flatMap((b) => b.problems());
    await Promise.all(used.map((b) => b.close()));
    expect(problems).toEqual([]);
  });
  return browsers;
}
