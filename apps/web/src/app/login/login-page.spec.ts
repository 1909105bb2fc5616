import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { SignedInRedirect } from '../sign-in/signed-in-redirect';
import { LoginPage } from './login-page';
import { ADA, API, authResponse, expectPasswordField, renderPage, unauthorized } from '../testing/page-test-bed';

const PROVIDERS_URL = `${API}/auth/providers`;
const LOGIN_URL = `${API}/auth/login`;

describe('LoginPage', () => {
  async function render(inputs: Record<string, unknown> = {}, google = false) {
    const page = await renderPage(LoginPage, inputs);
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google });
    await page.stable();
    return page;
  }

  async function signIn(page: Awaited<ReturnType<typeof render>>, email = ADA.email, password = 'correct horse') {
    page.type('Email', email);
    page.type('Password', password);
    page.button('Sign in').click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('has a labelled email and password field', async () => {
    const page = await render();
    expect(page.field('Email').type).toBe('email');
    expect(page.field('Email').autocomplete).toBe('username');
    expect(page.field('Password').type).toBe('password');
    expect(page.field('Password').autocomplete).toBe('current-password');
    expect(page.el.querySelector('h1')?.textContent).toBe('Sign in');
  });

  it('offers to show the password (a password manager still sees a current password)', async () => {
    const page = await render();
    await expectPasswordField(page, 'Password', 'current-password');
  });

  it('shows what is missing, focuses the first field, and sends nothing', async () => {
    const page = await render();
    page.button('Sign in').click();
    await page.stable();

    expect(page.text()).toContain('Enter your email address.');
    expect(page.text()).toContain('Enter your password.');
    expect(document.activeElement).toBe(page.field('Email'));
    page.httpMock.expectNone(LOGIN_URL);
  });

  it('rejects a malformed email address', async () => {
    const page = await render();
    await signIn(page, 'not-an-email');
    expect(page.text()).toContain('Enter an email address like name@example.com.');
    page.httpMock.expectNone(LOGIN_URL);
  });

  it('signs in and goes to the account page', async () => {
    const page = await render();
    await signIn(page);
    const request = page.httpMock.expectOne(LOGIN_URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: ADA.email, password: 'correct horse' });
    request.flush(authResponse());
    await page.stable();
    expect(page.navigations).toEqual(['/account']);
  });

  it('goes back to a same-origin returnUrl, never to another site', async () => {
    const page = await render({ returnUrl: '/account?tab=sessions' });
    await signIn(page);
    page.httpMock.expectOne(LOGIN_URL).flush(authResponse());
    await page.stable();
    expect(page.navigations).toEqual(['/account?tab=sessions']);
  });

  it.each(['//evil.example', 'https://evil.example/account', '/\\evil.example', '/.//evil.example', '/%2e//evil.example', '/register'])(
    'ignores the returnUrl %s',
    async (returnUrl) => {
      const page = await render({ returnUrl });
      await signIn(page);
      page.httpMock.expectOne(LOGIN_URL).flush(authResponse());
      await page.stable();
      expect(page.navigations).toEqual(['/account']);
    },
  );

  it("shows the server's 401 message inline and stays on the page", async () => {
    const page = await render();
    await signIn(page);
    const { body, init } = unauthorized('Email or password is incorrect');
    page.httpMock.expectOne(LOGIN_URL).flush(body, init);
    await page.stable();

    const alert = page.el.querySelector('[role="alert"]');
    expect(alert?.textContent?.trim()).toBe('Email or password is incorrect.');
    expect(page.navigations).toEqual([]);
    expect(page.field('Password').value).toBe('');
  });

  it('signing in offline says the connection is gone, and the message goes when it is back', async () => {
    const page = await render();
    await signIn(page);
    page.httpMock.expectOne(LOGIN_URL).error(new ProgressEvent('error'));
    await page.stable();
    expect(page.text()).toContain("Can't reach Latchkey");
    expect(page.text()).not.toContain('Something went wrong on our side');
    window.dispatchEvent(new Event('online'));
    await page.stable();
    expect(page.text()).not.toContain("Can't reach Latchkey");
  });

  it.each<['other-tab' | 'session-ended', string]>([
    ['other-tab', 'You signed out in another tab.'],
    ['session-ended', 'You were signed out on this device. Please sign in again.'],
  ])('says why a session ended (%s)', async (reason, message) => {
    const page = await renderPage(LoginPage, {}, { beforeCreate: () => TestBed.inject(AuthStore).markAnonymous(reason) });
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: false });
    await page.stable();
    expect(page.el.querySelector('[data-testid="signed-out-reason"]')?.textContent?.trim()).toBe(message);
  });

  it('says nothing of the kind to a visitor who signed out themselves or never signed in', async () => {
    const page = await render();
    expect(page.el.querySelector('[data-testid="signed-out-reason"]')).toBeNull();
  });

  it('never refreshes the session because of a failed sign-in', async () => {
    const page = await render();
    await signIn(page);
    const { body, init } = unauthorized('Email or password is incorrect');
    page.httpMock.expectOne(LOGIN_URL).flush(body, init);
    await page.stable();
    page.httpMock.expectNone(`${API}/auth/refresh`);
  });

  it('after a wrong password: only the server\'s message; the email kept, the password cleared and not yet "required"', async () => {
    const page = await render();
    await signIn(page);
    const { body, init } = unauthorized('Email or password is incorrect');
    page.httpMock.expectOne(LOGIN_URL).flush(body, init);
    await page.stable();

    expect(page.el.querySelectorAll('[role="alert"], mat-error')).toHaveLength(1);
    expect(page.field('Email').value).toBe(ADA.email);
    expect(page.field('Password').value).toBe('');
    expect(page.field('Password').getAttribute('aria-invalid')).not.toBe('true');

    // Once the user has been in the field again and left it empty, it says so.
    page.field('Password').dispatchEvent(new Event('blur'));
    await page.stable();
    expect(page.text()).toContain('Enter your password.');
  });

  describe('after too many attempts (429 + Retry-After)', () => {
    const tooMany = (retryAfter: string | null) => ({
      body: { statusCode: 429, message: 'Too many failed sign-in attempts; try again later', error: 'Too Many Requests' },
      init: {
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders(retryAfter === null ? {} : { 'Retry-After': retryAfter }),
      },
    });
    const countdown = (page: Awaited<ReturnType<typeof render>>) =>
      page.el.querySelector('[data-testid="retry-countdown"]')?.textContent?.trim();
    /** Lets fake time pass, then renders. */
    const pass = async (page: Awaited<ReturnType<typeof render>>, ms: number) => {
      await jest.advanceTimersByTimeAsync(ms);
      page.fixture.detectChanges();
    };

    afterEach(() => jest.useRealTimers());

    it('counts the wait down in words, with the sign-in button off and a way out', async () => {
      const page = await render();
      await signIn(page);
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      const { body, init } = tooMany('900');
      page.httpMock.expectOne(LOGIN_URL).flush(body, init);
      await pass(page, 0);

      const alert = page.el.querySelector('[data-testid="server-error"]');
      expect(alert?.querySelector('[role="alert"]')?.textContent).toContain('Too many sign-in attempts.');
      expect(countdown(page)).toBe('Try again in 15 minutes.');
      // The ticking part is a timer, not re-announced every second.
      expect(alert?.querySelector('[data-testid="retry-countdown"]')?.getAttribute('role')).toBe('timer');
      const link = Array.from(alert?.querySelectorAll('a') ?? []).find((a) => a.textContent?.trim() === 'Forgot password?');
      expect(link?.getAttribute('href')).toBe('/forgot-password');
      // Once on the page: the link beside the field gives way to the one in the message.
      expect(page.el.querySelectorAll('a[href="/forgot-password"]')).toHaveLength(1);
      expect(alert?.textContent?.replace(/\s+/g, ' ')).toContain('Too many sign-in attempts. Try again in 15 minutes.');
      const button = page.button('Sign in');
      expect(button.disabled || button.getAttribute('aria-disabled') === 'true').toBe(true);

      await pass(page, 60_000);
      expect(countdown(page)).toBe('Try again in 14 minutes.');
      await pass(page, 13 * 60_000 + 20_000);
      expect(countdown(page)).toBe('Try again in 40 seconds.');
      await pass(page, 39_000);
      expect(countdown(page)).toBe('Try again in 1 second.');

      // A click while waiting sends nothing.
      button.click();
      await pass(page, 0);
      page.httpMock.expectNone(LOGIN_URL);

      await pass(page, 1_000);
      expect(countdown(page)).toBeUndefined();
      expect(page.el.querySelector('[data-testid="server-error"]')).toBeNull();
      expect(page.el.querySelector('[data-testid="retry-ready"]')?.textContent?.trim()).toBe('You can try again now.');
      expect(button.getAttribute('aria-disabled')).not.toBe('true');
      button.click();
      await pass(page, 0);
      page.httpMock.expectOne(LOGIN_URL).flush(authResponse());
      await pass(page, 0);
      expect(page.navigations).toEqual(['/account']);
    });

    it('reads an HTTP-date Retry-After too', async () => {
      const page = await render();
      await signIn(page);
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'], now: Date.parse('2030-01-01T10:00:00Z') });
      const { body, init } = tooMany('Tue, 01 Jan 2030 10:00:30 GMT');
      page.httpMock.expectOne(LOGIN_URL).flush(body, init);
      await pass(page, 0);
      expect(countdown(page)).toBe('Try again in 30 seconds.');
    });

    it('without Retry-After: says to wait, offers the reset, leaves the button on', async () => {
      const page = await render();
      await signIn(page);
      const { body, init } = tooMany(null);
      page.httpMock.expectOne(LOGIN_URL).flush(body, init);
      await page.stable();
      const alert = page.el.querySelector('[data-testid="server-error"]');
      expect(alert?.textContent).toContain('Too many attempts. Please wait a few minutes before trying again.');
      expect(alert?.querySelector('a')?.getAttribute('href')).toBe('/forgot-password');
      expect(page.button('Sign in').getAttribute('aria-disabled')).not.toBe('true');
    });
  });

  it('offers "Forgot password?" beside the form', async () => {
    const page = await render();
    const link = page.el.querySelector('[data-testid="forgot-password"]');
    expect(link?.textContent?.trim()).toBe('Forgot password?');
    expect(link?.getAttribute('href')).toBe('/forgot-password');
  });

  it('an unverified account (403 after the right password): says a new link was sent', async () => {
    const page = await render();
    await signIn(page);
    page.httpMock
      .expectOne(LOGIN_URL)
      .flush({ statusCode: 403, message: 'Email not verified', error: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    await page.stable();
    const alert = page.el.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(`Please verify your email address first. We've sent a new link to ${ADA.email}`);
    expect(alert?.querySelector('a')).toBeNull();
    expect(page.navigations).toEqual([]);
  });

  it('shows the notice another page sent the user here with', async () => {
    const page = await render({ notice: 'password-reset' });
    const notice = page.el.querySelector('[data-testid="login-notice"]');
    expect(notice?.getAttribute('role')).toBe('status');
    expect(notice?.textContent).toContain('Your password has been changed. Sign in with your new password.');
  });

  it('ignores an unknown notice', async () => {
    const page = await render({ notice: '<script>' });
    expect(page.el.querySelector('[data-testid="login-notice"]')).toBeNull();
  });

  it('waits for the first API answer (and its XSRF cookie) before posting', async () => {
    const page = await renderPage(LoginPage);
    const providers = page.httpMock.expectOne(PROVIDERS_URL);
    await signIn(page);
    page.httpMock.expectNone(LOGIN_URL);
    providers.flush({ password: true, google: false });
    await page.stable();
    page.httpMock.expectOne(LOGIN_URL).flush(authResponse());
  });

  it('posts only once the background session check found no session (no late "signed out" after the sign-in)', async () => {
    const page = await renderPage(LoginPage, {}, {
      signedInHereBefore: true,
      // What redirectSignedInGuard starts as /login opens on a first load.
      beforeCreate: () => TestBed.inject(SignedInRedirect).checkInBackground('/login'),
    });
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: false });
    const me = page.httpMock.expectOne(`${API}/auth/me`);
    await signIn(page);
    page.httpMock.expectNone(LOGIN_URL);

    const { body, init } = unauthorized();
    me.flush(body, init);
    await page.stable();
    await new Promise((resolve) => setTimeout(resolve));
    page.httpMock.expectOne(`${API}/auth/refresh`).flush(body, init);
    await page.stable();
    page.httpMock.expectOne(LOGIN_URL).flush(authResponse());
    await page.stable();
    expect(page.navigations).toEqual(['/account']);
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(true);
  });

  describe('Google', () => {
    it('is offered only when the API says so', async () => {
      const page = await render({}, false);
      expect(page.text()).not.toContain('Sign in with Google');
    });

    it('links to the API with the return URL', async () => {
      const page = await render({ returnUrl: '/account?tab=sessions' }, true);
      const link = Array.from(page.el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'Sign in with Google');
      expect(link?.getAttribute('href')).toBe('/api/v1/auth/google?returnUrl=%2Faccount%3Ftab%3Dsessions');
    });

    it('explains an ?error= code from the Google flow', async () => {
      const page = await render({ error: 'email_not_verified' }, true);
      expect(page.el.querySelector('[role="alert"]')?.textContent).toContain('email address is not verified');
    });
  });
});
