import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { SCREENSHOTS } from './workspace';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * The page as a phone (390×844) and a desktop (1280×800) show it, full length, as
 * `dist/e2e-screenshots/<name>-phone.png` and `…-desktop.png`; back to the tab's size after.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  await page.waitForTimeout(300); // Material's error and hint fade-in
  for (const [suffix, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await afterTwoFrames(page);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${suffix}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

/** Layout and paint have caught up with a change (a new viewport size). */
export function afterTwoFrames(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** How much wider than the viewport the page is (0: it does not scroll sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - window.innerWidth;
  });
}
