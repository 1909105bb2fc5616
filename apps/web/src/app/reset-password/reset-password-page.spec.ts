import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { ResetPasswordPage } from './reset-password-page';
import { MailLinkToken } from '../mail-link/mail-link-token';
import { ADA, API, expectPasswordField, renderPage } from '../testing/page-test-bed';

const PROVIDERS_URL = `${API}/auth/providers`;
const RESET_URL = `${API}/auth/password/reset`;
const badRequest = (message: string | string[]) => ({
  body: { statusCode: 400, message, error: 'Bad Request' },
  init: { status: 400, statusText: 'Bad Request' },
});

describe('ResetPasswordPage', () => {
  async function render(token: string | null = 'the-token') {
    const page = await renderPage(ResetPasswordPage, {}, {
      beforeCreate: () => {
        if (token) TestBed.inject(MailLinkToken).keep('/reset-password', token);
      },
    });
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: false });
    await page.stable();
    return page;
  }

  async function choose(page: Awaited<ReturnType<typeof render>>, password = 'new password', confirmation = password) {
    page.type('New password', password);
    page.type('Confirm new password', confirmation);
    page.button('Set new password').click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('asks for the new password twice, for password managers as a new one', async () => {
    const page = await render();
    expect(page.el.querySelector('h1')?.textContent).toBe('Choose a new password');
    expect(page.field('New password').autocomplete).toBe('new-password');
    expect(page.field('Confirm new password').type).toBe('password');
    expect(page.text()).toContain('8 to 128 characters');
  });

  it('offers to show each new password', async () => {
    const page = await render();
    await expectPasswordField(page, 'New password', 'new-password');
    await expectPasswordField(page, 'Confirm new password', 'new-password');
  });

  it('refuses a short password and a confirmation that differs', async () => {
    const page = await render();
    await choose(page, 'short');
    expect(page.text()).toContain('Use at least 8 characters.');
    expect(document.activeElement).toBe(page.field('New password'));

    await choose(page, 'new password', 'new passwort');
    expect(page.text()).toContain('The two passwords are not the same.');
    expect(document.activeElement).toBe(page.field('Confirm new password'));
    const describedBy = page.field('Confirm new password').getAttribute('aria-describedby') ?? '';
    expect(describedBy.split(' ').map((id) => page.el.querySelector(`[id="${id}"]`)?.textContent).join(' ')).toContain(
      'The two passwords are not the same.',
    );
    page.httpMock.expectNone(RESET_URL);
  });

  it('sets the password with the token, signs this browser out and goes to sign in with a message', async () => {
    const page = await render();
    const store = TestBed.inject(AuthStore);
    store.setSession(ADA, Date.now() + 60_000);
    await choose(page);
    const request = page.httpMock.expectOne(RESET_URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ token: 'the-token', password: 'new password' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.navigations).toEqual(['/login?notice=password-reset']);
    expect(store.status()).toBe('anonymous');
  });

  it('a used or expired link: says so, focused, with a way to request a new one', async () => {
    const page = await render();
    await choose(page);
    const { body, init } = badRequest('This link is invalid or has expired');
    page.httpMock.expectOne(RESET_URL).flush(body, init);
    await page.stable();

    const notice = page.el.querySelector<HTMLElement>('[data-testid="bad-link"]');
    expect(notice?.textContent).toContain('This reset link has expired or was already used.');
    expect(notice?.querySelector('a')?.getAttribute('href')).toBe('/forgot-password');
    expect(document.activeElement).toBe(notice);
    expect(page.el.querySelector('form')).toBeNull();
    expect(page.navigations).toEqual([]);
  });

  it('a password the API refuses stays on the form', async () => {
    const page = await render();
    await choose(page);
    const { body, init } = badRequest(['password must be 8 to 128 characters']);
    page.httpMock.expectOne(RESET_URL).flush(body, init);
    await page.stable();
    expect(page.el.querySelector('[data-testid="server-error"]')?.textContent).toContain(
      'Password must be 8 to 128 characters.',
    );
    expect(page.el.querySelector('form')).not.toBeNull();
  });

  it('without a token (a reload, a hand-typed address): explains, and offers a new link', async () => {
    const page = await render(null);
    const notice = page.el.querySelector('[data-testid="no-link"]');
    expect(notice?.textContent).toContain('This page needs the link from your email.');
    expect(notice?.querySelector('a')?.getAttribute('href')).toBe('/forgot-password');
    expect(page.el.querySelector('form')).toBeNull();
  });
});
