import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { User } from '@latchkey/auth-contract';
import { EmailEditor } from './email-editor';
import { ADA, API, expectPasswordField, renderPage } from '../testing/page-test-bed';

const CHANGE_URL = `${API}/auth/email/change`;
const GOOGLE_ONLY: User = { ...ADA, providers: ['google'] };
const forbidden = { body: { statusCode: 403, message: 'Forbidden', error: 'Forbidden' }, init: { status: 403, statusText: 'Forbidden' } };

describe('EmailEditor', () => {
  async function render(user: User = ADA) {
    const page = await renderPage(EmailEditor, { user }, {
      beforeCreate: () => TestBed.inject(AuthStore).setSession(user, Date.now() + 60_000),
    });
    page.button('Change email').click();
    await page.stable();
    return page;
  }

  async function send(page: Awaited<ReturnType<typeof render>>, newEmail = 'ada@new.example', password?: string) {
    page.type('New email address', newEmail);
    if (password !== undefined) page.type('Your password', password);
    page.button('Send confirmation link').click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('shows the address and whether it is verified', async () => {
    const page = await renderPage(EmailEditor, { user: { ...ADA, emailVerified: false } });
    expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);
    expect(page.el.querySelector('[data-testid="email-status"]')?.textContent).toBe('Not verified');
  });

  it('asks for the new address and the password, the first one focused', async () => {
    const page = await render();
    expect(document.activeElement).toBe(page.field('New email address'));
    expect(page.field('Your password').autocomplete).toBe('current-password');
  });

  it('re-authenticates with the current password, which can be shown', async () => {
    const page = await render();
    await expectPasswordField(page, 'Your password', 'current-password');
    expect(page.field('New email address').autocomplete).toBe('email');
  });

  it('sends both, then says where the link went; nothing changes yet', async () => {
    const page = await render();
    await send(page, 'ada@new.example', 'correct horse');
    const request = page.httpMock.expectOne(CHANGE_URL);
    expect(request.request.body).toEqual({ newEmail: 'ada@new.example', password: 'correct horse' });
    request.flush(null, { status: 202, statusText: 'Accepted' });
    await page.stable();
    expect(page.el.querySelector('[role="status"]')?.textContent).toContain(
      'We sent a confirmation link to ada@new.example. Your address changes when you open it.',
    );
    expect(page.el.querySelector('[data-testid="user-email"]')?.textContent).toBe(ADA.email);
    expect(document.activeElement).toBe(page.button('Change email'));
  });

  it('refuses the current address and a missing password without asking the API', async () => {
    const page = await render();
    await send(page, ADA.email.toUpperCase());
    expect(page.text()).toContain('That is already your address.');
    expect(page.text()).toContain("Enter your password to confirm it's you.");
    page.httpMock.expectNone(CHANGE_URL);
  });

  it('a wrong password (403) is shown on the password field', async () => {
    const page = await render();
    await send(page, 'ada@new.example', 'wrong');
    page.httpMock.expectOne(CHANGE_URL).flush(forbidden.body, forbidden.init);
    await page.stable();
    expect(page.text()).toContain('That password is not right.');
    expect(page.field('Your password').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(page.field('Your password'));
  });

  it('a taken address (409) is shown on the address field', async () => {
    const page = await render();
    await send(page, 'taken@example.com', 'correct horse');
    page.httpMock
      .expectOne(CHANGE_URL)
      .flush({ statusCode: 409, message: 'An account with this email already exists', error: 'Conflict' }, { status: 409, statusText: 'Conflict' });
    await page.stable();
    expect(page.text()).toContain('An account with this email already exists.');
    expect(document.activeElement).toBe(page.field('New email address'));
  });

  it('a Google-only account gives no password; a stale sign-in is asked to sign in again', async () => {
    const page = await render(GOOGLE_ONLY);
    expect(() => page.field('Your password')).toThrow();
    await send(page);
    const request = page.httpMock.expectOne(CHANGE_URL);
    expect(request.request.body).toEqual({ newEmail: 'ada@new.example' });
    request.flush(forbidden.body, forbidden.init);
    await page.stable();
    const hint = page.el.querySelector('[data-testid="sign-in-again"]');
    expect(hint?.textContent).toContain('For your security, sign in again');
    // Straight to Google: the account has no password, and /login would send a signed-in user back here.
    expect(hint?.querySelector('a')?.getAttribute('href')).toBe('/api/v1/auth/google?returnUrl=%2Faccount');
  });
});
