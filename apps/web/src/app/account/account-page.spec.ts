import { SessionInfo } from '@latchkey/auth-contract';
import { AuthStore } from '@latchkey/auth-angular';
import { TestBed } from '@angular/core/testing';
import { TestRequest } from '@angular/common/http/testing';
import { NetworkStatus } from '../network-status';
import { AccountPage } from './account-page';
import { READ_ONLY_NOTE_ID } from './account-messages';
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

/** Until `probe` answers (the dialog loads and animates in its own time). */
async function waitFor<T>(probe: () => T | null | undefined, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** No connection: the browser's own failure. */
const noConnection = (request: TestRequest) => request.error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
/** What the service worker answers when its fetch fails: a 504 without a body. */
const serviceWorkerTimeout = (request: TestRequest) => request.flush(null, { status: 504, statusText: 'Gateway Timeout' });

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

  it('lists the sessions, this device first and marked, with no sign-out button of its own', async () => {
    const page = await renderLoaded();
    const [first, second] = rows(page.el);
    expect(first.textContent).toContain('Chrome on Linux');
    expect(first.querySelector('[data-testid="current-session"]')?.textContent).toBe('This device');
    // The page's "Sign out" ends this session: no second button doing the same.
    expect(first.querySelector('button')).toBeNull();
    expect(second.textContent).toContain('Firefox on Windows');
    expect(second.querySelector('[data-testid="current-session"]')).toBeNull();
    expect(second.querySelector('button')?.textContent?.trim()).toBe('Sign out this session');
  });

  it('signs another session out, removes it from the list and confirms it in a snack bar', async () => {
    const page = await renderLoaded();
    rows(page.el)[1].querySelector('button')?.click();
    const request = page.httpMock.expectOne(`${SESSIONS_URL}/s-old`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();

    expect(rows(page.el)).toHaveLength(1);
    expect(page.messages).toEqual(['Signed out the session on Firefox on Windows.']);
    expect(document.activeElement?.id).toBe('sessions-title');
    expect(page.navigations).toEqual([]);
  });

  it('"Sign out" logs out and goes to the login page', async () => {
    const page = await renderLoaded();
    page.button('Sign out').click();
    const request = page.httpMock.expectOne(`${API}/auth/logout`);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.navigations).toEqual(['/login']);
    expect(TestBed.inject(AuthStore).status()).toBe('anonymous');
  });

  describe('"Sign out everywhere…"', () => {
    /** The Material dialog, in the overlay outside the page. */
    const dialog = () => document.querySelector<HTMLElement>('mat-dialog-container');
    const dialogButton = (name: string) =>
      Array.from(dialog()?.querySelectorAll('button') ?? []).find((b) => b.textContent?.trim() === name);

    async function openDialog() {
      const page = await renderLoaded();
      const trigger = page.button('Sign out everywhere…');
      trigger.focus();
      trigger.click();
      await waitFor(() => dialog());
      await page.stable();
      return { page, trigger };
    }

    afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove()));

    it('asks first: an alert dialog that names what happens, with the keyboard on Cancel', async () => {
      const { page } = await openDialog();
      expect(dialog()?.getAttribute('role')).toBe('alertdialog');
      const title = dialog()?.querySelector('h2');
      expect(title?.textContent).toBe('Sign out everywhere?');
      expect(dialog()?.getAttribute('aria-labelledby')).toBe(title?.id);
      expect(document.getElementById(dialog()?.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
        'this one included',
      );
      await waitFor(() => (document.activeElement === dialogButton('Cancel') ? true : null));
      page.httpMock.expectNone(`${API}/auth/logout-all`);
    });

    it('a second click while it opens opens no second dialog, and the page stays usable behind it', async () => {
      const page = await renderLoaded();
      const trigger = page.button('Sign out everywhere…');
      trigger.click();
      trigger.click();
      await waitFor(() => dialog());
      await page.stable();
      expect(document.querySelectorAll('mat-dialog-container')).toHaveLength(1);
      expect(trigger.getAttribute('aria-disabled')).not.toBe('true');
    });

    it('Cancel sends nothing and gives the keyboard back to the button', async () => {
      const { page, trigger } = await openDialog();
      dialogButton('Cancel')?.click();
      await waitFor(() => (dialog() ? null : true));
      await page.stable();
      page.httpMock.expectNone(`${API}/auth/logout-all`);
      expect(page.navigations).toEqual([]);
      await waitFor(() => (document.activeElement === trigger ? true : null));
    });

    it('confirmed, ends every session and goes to the login page', async () => {
      const { page } = await openDialog();
      dialogButton('Sign out everywhere')?.click();
      const request = await waitFor(() => page.httpMock.match(`${API}/auth/logout-all`)[0] ?? null);
      expect(request.request.method).toBe('POST');
      request.flush(null, { status: 204, statusText: 'No Content' });
      await page.stable();
      expect(page.navigations).toEqual(['/login']);
      expect(page.messages).toEqual(['Signed out on every device.']);
    });
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

  describe('offline', () => {
    const ariaDisabled = (button: HTMLButtonElement) => button.getAttribute('aria-disabled') === 'true';
    const EDITORS = ['Edit name', 'Change email', 'Change password', 'Delete account…'];

    /** What the auth library does on a reload offline: the last user known here, marked stale. */
    async function renderReloadedOffline(fail: (request: TestRequest) => void = noConnection) {
      const page = await renderPage(AccountPage, {}, {
        signedInHereBefore: true,
        beforeCreate: () => {
          TestBed.inject(NetworkStatus);
          window.dispatchEvent(new Event('offline'));
          TestBed.inject(AuthStore).setOfflineUser({ ...ADA, emailVerified: false });
        },
      });
      const me = page.httpMock.expectOne(ME_URL);
      page.httpMock.expectOne(SESSIONS_URL);
      fail(me);
      await page.stable();
      return page;
    }

    afterEach(() => {
      jest.useRealTimers();
      window.dispatchEvent(new Event('online'));
    });

    it.each([
      ['no connection (status 0)', noConnection],
      ["the service worker's 504", serviceWorkerTimeout],
    ])('after a reload with %s: the last known user, read-only, and says the data may be out of date', async (_label, fail) => {
      const page = await renderReloadedOffline(fail);
      expect(page.text()).not.toContain('Something went wrong');
      expect(page.el.querySelector('[role="alert"]')).toBeNull();
      expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);
      expect(page.el.querySelector('[data-testid="user-name"]')?.textContent).toBe('Ada Lovelace');

      const notice = page.el.querySelector('[data-testid="account-offline"]');
      expect(notice?.textContent?.replace(/\s+/g, ' ')).toContain("You're offline. This is your account as this device last saw it");
      expect(notice?.textContent).toContain('it may be out of date');
      expect(page.el.querySelector('[data-testid="sessions-unavailable"]')?.textContent).toContain(
        "Your sessions can't be shown right now",
      );
      expect(rows(page.el)).toHaveLength(0);
      const headings = Array.from(page.el.querySelectorAll('h2')).map((h) => h.textContent?.trim());
      expect(headings).toEqual(['Verify your email address', 'Profile', 'Sessions', 'Delete account']);
    });

    it('the editors are off, and point at the note that says why', async () => {
      const page = await renderReloadedOffline();
      const note = page.el.querySelector(`#${READ_ONLY_NOTE_ID}`);
      expect(note?.textContent).toContain('Changes are off until the connection is back.');
      for (const name of [...EDITORS, 'Resend']) {
        const button = page.button(name);
        expect({ name, disabled: ariaDisabled(button) }).toEqual({ name, disabled: true });
        expect(button.getAttribute('aria-describedby')).toBe(READ_ONLY_NOTE_ID);
        button.click();
      }
      await page.stable();
      expect(page.el.querySelector('form')).toBeNull();
      page.httpMock.expectNone(`${API}/auth/email/verification`);
    });

    it('"Sign out" still works (the library sends it later); "Sign out everywhere" needs a connection and says so', async () => {
      const page = await renderReloadedOffline();
      const everywhere = page.button('Sign out everywhere…');
      expect(ariaDisabled(everywhere)).toBe(true);
      expect(page.el.querySelector(`#${everywhere.getAttribute('aria-describedby')}`)?.textContent).toBe(
        'Signing out everywhere needs a connection.',
      );
      everywhere.click();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(document.querySelector('mat-dialog-container')).toBeNull();

      const signOut = page.button('Sign out');
      expect(ariaDisabled(signOut)).toBe(false);
      signOut.click();
      noConnection(page.httpMock.expectOne(`${API}/auth/logout`));
      await page.stable();
      expect(page.navigations).toEqual(['/login']);
    });

    it('back online, once the library has checked who is signed in, loads again by itself', async () => {
      const page = await renderReloadedOffline();
      window.dispatchEvent(new Event('online'));
      // The auth library asks first (it revalidates a stale user on `online`); the page waits for it.
      page.httpMock.expectOne(ME_URL).flush(authResponse());
      page.httpMock.expectNone(SESSIONS_URL);
      await page.stable();

      page.httpMock.expectOne(ME_URL).flush(authResponse());
      page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
      await page.stable();
      expect(rows(page.el)).toHaveLength(2);
      expect(page.el.querySelector('[data-testid="account-offline"]')).toBeNull();
      expect(page.el.querySelector('[data-testid="sessions-unavailable"]')).toBeNull();
      for (const name of [...EDITORS, 'Sign out everywhere…']) expect(ariaDisabled(page.button(name))).toBe(false);
    });

    it('back online, when the library’s own check met no network either, tries again by itself a little later', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      const page = await renderReloadedOffline();
      window.dispatchEvent(new Event('online'));
      serviceWorkerTimeout(page.httpMock.expectOne(ME_URL));
      await page.stable();
      page.httpMock.expectNone(SESSIONS_URL);
      expect(TestBed.inject(AuthStore).isStale()).toBe(true);

      jest.advanceTimersByTime(5_000);
      await page.stable();
      page.httpMock.expectOne(ME_URL).flush(authResponse());
      page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
      await page.stable();
      expect(rows(page.el)).toHaveLength(2);
      expect(page.el.querySelector('[data-testid="account-offline"]')).toBeNull();
    });

    it('online all along but Latchkey unreachable: tries again after 5 s, then 10 s, never in a tight loop', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      const page = await renderPage(AccountPage, {}, {
        beforeCreate: () => TestBed.inject(AuthStore).setSession(ADA, Date.now() + 30 * 60_000),
      });
      noConnection(page.httpMock.expectOne(ME_URL));
      page.httpMock.expectOne(SESSIONS_URL);
      await page.stable();
      page.httpMock.expectNone(ME_URL);

      jest.advanceTimersByTime(5_000);
      await page.stable();
      noConnection(page.httpMock.expectOne(ME_URL));
      page.httpMock.expectOne(SESSIONS_URL);
      await page.stable();

      jest.advanceTimersByTime(9_000);
      await page.stable();
      page.httpMock.expectNone(ME_URL);
      jest.advanceTimersByTime(1_000);
      await page.stable();
      page.httpMock.expectOne(ME_URL).flush(authResponse());
      page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
      await page.stable();
      expect(rows(page.el)).toHaveLength(2);
    });

    it('the connection lost while signed in (nothing stale): says Latchkey cannot be reached, loads again when back', async () => {
      const page = await renderPage(AccountPage, {}, {
        beforeCreate: () => TestBed.inject(AuthStore).setSession(ADA, Date.now() + 30 * 60_000),
      });
      noConnection(page.httpMock.expectOne(ME_URL));
      page.httpMock.expectOne(SESSIONS_URL);
      await page.stable();
      // The browser still believes it is online: the words say what is known.
      expect(page.el.querySelector('[data-testid="account-offline"]')?.textContent).toContain(
        "Latchkey can't be reached right now.",
      );
      expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);

      window.dispatchEvent(new Event('offline'));
      await page.stable();
      expect(page.el.querySelector('[data-testid="account-offline"]')?.textContent).toContain("You're offline.");
      window.dispatchEvent(new Event('online'));
      await page.stable();
      page.httpMock.expectOne(ME_URL).flush(authResponse());
      page.httpMock.expectOne(SESSIONS_URL).flush(SESSIONS);
      await page.stable();
      expect(rows(page.el)).toHaveLength(2);
      expect(page.el.querySelector('[data-testid="account-offline"]')).toBeNull();
    });

    it('"Try again" asks again, keeping the page on screen meanwhile', async () => {
      const page = await renderReloadedOffline();
      page.button('Try again').click();
      await page.stable();
      expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);
      expect(page.text()).not.toContain('Loading your account…');
      serviceWorkerTimeout(page.httpMock.expectOne(ME_URL));
      page.httpMock.expectOne(SESSIONS_URL);
      await page.stable();
      expect(page.el.querySelector('[data-testid="account-offline"]')).not.toBeNull();
    });
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
