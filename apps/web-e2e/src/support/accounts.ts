import { randomBytes } from 'node:crypto';
import { Page } from 'playwright-core';
import { waitForPath, waitForSessions } from './waits';

export interface TestUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

export function newUser(label: string): TestUser {
  const id = randomBytes(3).toString('hex');
  return { email: `${label}-${id}@example.com`, password: `pass-${id}-word`, name: `E2E ${label}` };
}

/** Registers straight through the API (a GET for the XSRF cookie, then the POST), from Node. */
export async function registerViaApi(baseUrl: string, user: TestUser): Promise<void> {
  const first = await fetch(`${baseUrl}/api/v1/auth/providers`);
  const xsrf = /XSRF-TOKEN=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
  if (!xsrf) throw new Error('the API set no XSRF-TOKEN cookie');
  const response = await fetch(`${baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `XSRF-TOKEN=${xsrf}`, 'x-xsrf-token': xsrf },
    // An empty name registers an account without one (the header then shows the email).
    body: JSON.stringify(user.name ? user : { email: user.email, password: user.password }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`);
}

export async function fillSignInForm(page: Page, user: TestUser): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
}

/** Signs in through the /login form and waits for the account page to list the sessions. */
export async function signInThroughForm(page: Page, user: TestUser): Promise<void> {
  await page.goto('/login');
  await fillSignInForm(page, user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForPath(page, '/account');
  await waitForSessions(page);
}
