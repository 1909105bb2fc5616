import { SessionInfo } from '@latchkey/auth-contract';
import { AuthStore } from '@latchkey/auth-angular';
import { TestBed } from '@angular/core/testing';
import { AccountPage } from './account-page';
import { ADA, API, authResponse, renderPage, unauthorized } from '../testing/page-test-bed';

const ME_URL = `${API}/auth/me`;
const SESSIONS_URL = `${API}/auth/sessions`;
const REFRESH_URL = `${API}/auth/refresh`;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; rv:121.0) Gecko/20100101 Firefox/121.0';

const session = (id: string, current: boolean, userAgent: string, lastUsedAt: string): SessionInfo => ({
  id,
  current,
  userAgent,
  ipAddress: null,
  createdAt: '2030-01-01T09:00:00Z',
  lastUsedAt,
  expiresAt: '2030-04-01T09:00:00Z',
});

const SESSIONS = [
  session('s-old', false, FIREFOX, '2030-01-01T09:30:00Z'),
  session('s-here', true, CHROME, '2030-01-01T10:00:00Z'),
];

describe('AccountPage', () => {
  afterEach(() => jest.restoreAllMocks());

  async function renderLoaded() {
    const page = await renderPage(AccountPage);
    page.httpMock.expectOne(ME_URL).flush(authResponse({ ...ADA, providers: ['password', 'google'] }));
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    await page.stable();
    return page;
  }

  const rows = (el: HTMLElement) => Array.from(el.querySelectorAll<HTMLElement>('[data-testid="session"]'));

  it('asks for the user and the sessions at the same time', async () => {
    const page = await renderPage(AccountPage);
    // Both requests are in flight before either is answered.
    const me = page.httpMock.expectOne(ME_URL);
    const sessions = page.httpMock.expectOne(SESSIONS_URL);
    expect(page.text()).toContain('Loading your account…');
    sessions.flush(SESSIONS);
    me.flush(authResponse());
    await page.stable();
    expect(page.text()).toContain(ADA.email);
  });

  it('after the access token expired, both calls share ONE refresh and are retried', async () => {
    const page = await renderPage(AccountPage);
    const { body, init } = unauthorized();
    page.httpMock.expectOne(ME_URL).flush(body, init);
    page.httpMock.expectOne(SESSIONS_URL).flush(body, init);
    await page.stable();

    const refreshes = page.httpMock.match(REFRESH_URL);
    expect(refreshes).toHaveLength(1);
    refreshes[0].flush(authResponse());
    await page.stable();

    page.httpMock.expectOne(ME_URL).flush(authResponse());
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    await page.stable();
    page.httpMock.expectNone(REFRESH_URL);
    expect(rows(page.el)).toHaveLength(2);
  });

  it('shows the user: name, email and sign-in methods', async () => {
    const page = await renderLoaded();
    expect(page.el.querySelector('[data-testid="user-name"]')?.textContent).toBe('Ada Lovelace');
    expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);
    expect(page.el.querySelector('[data-testid="user-providers"]')?.textContent).toBe('Password, Google');
    expect(page.el.querySelector('img')).toBeNull();
  });

  it('shows the picture when there is one', async () => {
    const page = await renderPage(AccountPage);
    page.httpMock.expectOne(ME_URL).flush(authResponse({ ...ADA, picture: 'https://lh3.googleusercontent.com/a/x' }));
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    await page.stable();
    expect(page.el.querySelector('img')?.getAttribute('src')).toBe('https://lh3.googleusercontent.com/a/x');
  });

  it('lists the sessions, this device first and marked', async () => {
    const page = await renderLoaded();
    const [first, second] = rows(page.el);
    expect(first.textContent).toContain('Chrome on Linux');
    expect(first.querySelector('[data-testid="current-session"]')?.textContent).toBe('This device');
    expect(second.textContent).toContain('Firefox on Windows');
    expect(second.querySelector('[data-testid="current-session"]')).toBeNull();
    const button = second.querySelector('button');
    expect(button?.textContent?.trim()).toBe('Sign out this session');
    expect(page.el.querySelector(`#${button?.getAttribute('aria-describedby')}`)?.textContent).toContain(
      'Firefox on Windows',
    );
  });

  it('signs another session out and removes it from the list', async () => {
    const page = await renderLoaded();
    rows(page.el)[1].querySelector('button')?.click();
    const request = page.httpMock.expectOne(`${SESSIONS_URL}/s-old`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();

    expect(rows(page.el)).toHaveLength(1);
    expect(page.text()).toContain('Signed out the session on Firefox on Windows.');
    expect(document.activeElement?.id).toBe('sessions-title');
    expect(page.navigations).toEqual([]);
  });

  it('signing this session out is a logout', async () => {
    const page = await renderLoaded();
    rows(page.el)[0].querySelector('button')?.click();
    page.httpMock.expectNone(`${SESSIONS_URL}/s-here`);
    page.httpMock.expectOne(`${API}/auth/logout`).flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.navigations).toEqual(['/login']);
    expect(TestBed.inject(AuthStore).status()).toBe('anonymous');
  });

  it('"Sign out" logs out and goes to the login page', async () => {
    const page = await renderLoaded();
    page.button('Sign out').click();
    const request = page.httpMock.expectOne(`${API}/auth/logout`);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.navigations).toEqual(['/login']);
  });

  it('"Sign out everywhere" ends every session', async () => {
    const page = await renderLoaded();
    page.button('Sign out everywhere').click();
    const request = page.httpMock.expectOne(`${API}/auth/logout-all`);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.navigations).toEqual(['/login']);
    expect(page.messages).toEqual(['Signed out on every device.']);
  });

  it('offers to try again when loading fails', async () => {
    const page = await renderPage(AccountPage);
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    page.httpMock.expectOne(ME_URL).flush({ statusCode: 503, message: 'down', error: 'x' }, { status: 503, statusText: 'x' });
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain('Something went wrong on our side.');

    page.button('Try again').click();
    page.httpMock.expectOne(ME_URL).flush(authResponse());
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    await page.stable();
    expect(rows(page.el)).toHaveLength(2);
  });

  it('shows the verification banner only while the email is unverified, and hides it once verified in any tab', async () => {
    const page = await renderPage(AccountPage);
    page.httpMock.expectOne(ME_URL).flush(authResponse({ ...ADA, emailVerified: false }));
    page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
    await page.stable();
    expect(page.el.querySelector('[data-testid="verify-banner"]')?.textContent).toContain('Verify your email address');
    expect(page.el.querySelector('[data-testid="email-status"]')?.textContent).toBe('Not verified');

    // What the auth library does when the link is used here or in another tab.
    TestBed.inject(AuthStore).updateUser(ADA);
    await page.stable();
    expect(page.el.querySelector('[data-testid="verify-banner"]')).toBeNull();
    expect(page.el.querySelector('[data-testid="email-status"]')?.textContent).toBe('Verified');
  });

  it('a saved name shows on the page at once', async () => {
    const page = await renderLoaded();
    page.button('Edit name').click();
    await page.stable();
    page.type('Your name', 'Augusta');
    page.button('Save name').click();
    await page.stable();
    page.httpMock.expectOne((r) => r.method === 'PATCH' && r.url === ME_URL).flush(authResponse({ ...ADA, name: 'Augusta' }));
    await page.stable();
    expect(page.el.querySelector('[data-testid="user-name"]')?.textContent).toBe('Augusta');
  });

  it('after a password change, lists the sessions again (the others were signed out)', async () => {
    const page = await renderLoaded();
    page.button('Change password').click();
    await page.stable();
    page.type('Current password', 'old password');
    page.type('New password', 'new password');
    page.el.querySelector<HTMLButtonElement>('lk-password-editor form button[type="submit"]')?.click();
    await page.stable();
    page.httpMock.expectOne(`${API}/auth/password/change`).flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    page.httpMock.expectOne(SESSIONS_URL).flush([SESSIONS[1]]);
    await page.stable();
    expect(rows(page.el)).toHaveLength(1);
  });

  it('offers every account setting, and deleting the account last', async () => {
    const page = await renderLoaded();
    for (const name of ['Edit name', 'Change email', 'Change password', 'Delete account…']) {
      expect(page.button(name)).toBeTruthy();
    }
    const headings = Array.from(page.el.querySelectorAll('h2')).map((h) => h.textContent?.trim());
    expect(headings).toEqual(['Profile', 'Sessions', 'Delete account']);
  });
});
