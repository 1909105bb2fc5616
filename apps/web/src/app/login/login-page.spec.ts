import { HttpHeaders } from '@angular/common/http';
import { LoginPage } from './login-page';
import { ADA, API, authResponse, renderPage, unauthorized } from '../testing/page-test-bed';

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

  it('never refreshes the session because of a failed sign-in', async () => {
    const page = await render();
    await signIn(page);
    const { body, init } = unauthorized('Email or password is incorrect');
    page.httpMock.expectOne(LOGIN_URL).flush(body, init);
    await page.stable();
    page.httpMock.expectNone(`${API}/auth/refresh`);
  });

  it('says there were too many attempts and when to try again', async () => {
    const page = await render();
    await signIn(page);
    page.httpMock
      .expectOne(LOGIN_URL)
      .flush(
        { statusCode: 429, message: 'Too many failed sign-in attempts; try again later', error: 'Too Many Requests' },
        { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '900' }) },
      );
    await page.stable();
    const alert = page.el.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Too many attempts. Please wait 15 minutes before trying again.');
    // Locked out: a reset is the way in now.
    expect(alert?.querySelector('a')?.textContent?.trim()).toBe('Forgot password?');
    expect(alert?.querySelector('a')?.getAttribute('href')).toBe('/forgot-password');
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
