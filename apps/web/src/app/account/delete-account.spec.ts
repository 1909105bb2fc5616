import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { User } from '@latchkey/auth-contract';
import { DeleteAccount } from './delete-account';
import { ADA, API, expectPasswordField, renderPage } from '../testing/page-test-bed';

const ME_URL = `${API}/auth/me`;
const forbidden = { body: { statusCode: 403, message: 'Forbidden', error: 'Forbidden' }, init: { status: 403, statusText: 'Forbidden' } };

describe('DeleteAccount', () => {
  async function render(user: User = ADA) {
    const page = await renderPage(DeleteAccount, { user }, {
      beforeCreate: () => TestBed.inject(AuthStore).setSession(user, Date.now() + 60_000),
    });
    page.button('Delete account…').click();
    await page.stable();
    return page;
  }

  afterEach(() => jest.restoreAllMocks());

  it('asks first, naming the account, with the question focused', async () => {
    const page = await render();
    const question = page.el.querySelector('#delete-confirm-title');
    expect(question?.textContent).toBe(`Delete ${ADA.email}?`);
    expect(document.activeElement).toBe(question);
    expect(page.el.querySelector('form')?.getAttribute('aria-labelledby')).toBe('delete-confirm-title');
    page.httpMock.expectNone(ME_URL);
  });

  it('re-authenticates with the current password, which can be shown', async () => {
    const page = await render();
    await expectPasswordField(page, 'Password', 'current-password');
  });

  it('Cancel goes back, focus on the button', async () => {
    const page = await render();
    page.button('Cancel').click();
    await page.stable();
    expect(page.el.querySelector('form')).toBeNull();
    expect(document.activeElement).toBe(page.button('Delete account…'));
  });

  it('needs the password, then deletes, signs out and goes home with a message', async () => {
    const page = await render();
    page.button('Delete my account').click();
    await page.stable();
    expect(page.text()).toContain("Enter your password to confirm it's you.");
    page.httpMock.expectNone(ME_URL);

    page.type('Password', 'correct horse');
    page.button('Delete my account').click();
    await page.stable();
    const request = page.httpMock.expectOne(ME_URL);
    expect(request.request.method).toBe('DELETE');
    expect(request.request.body).toEqual({ password: 'correct horse' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(TestBed.inject(AuthStore).status()).toBe('anonymous');
    expect(page.navigations).toEqual(['/']);
    expect(page.messages).toEqual(['Your account was deleted.']);
  });

  it('a wrong password (403) is shown on the field; the account stays', async () => {
    const page = await render();
    page.type('Password', 'wrong');
    page.button('Delete my account').click();
    await page.stable();
    page.httpMock.expectOne(ME_URL).flush(forbidden.body, forbidden.init);
    await page.stable();
    expect(page.text()).toContain('That password is not right.');
    expect(document.activeElement).toBe(page.field('Password'));
    expect(TestBed.inject(AuthStore).status()).toBe('authenticated');
    expect(page.navigations).toEqual([]);
  });

  it('a Google-only account sends no password; after a 403 it is told to sign in again', async () => {
    const page = await render({ ...ADA, providers: ['google'] });
    expect(() => page.field('Password')).toThrow();
    page.button('Delete my account').click();
    await page.stable();
    const request = page.httpMock.expectOne(ME_URL);
    expect(request.request.body).toEqual({});
    request.flush(forbidden.body, forbidden.init);
    await page.stable();
    const hint = page.el.querySelector('[data-testid="sign-in-again"]');
    expect(hint?.getAttribute('role')).toBe('alert');
    expect(hint?.textContent).toContain('For your security, sign in again, then try within 10 minutes.');
    // Straight to Google: the account has no password, and /login would send a signed-in user back here.
    expect(hint?.querySelector('a')?.getAttribute('href')).toBe('/api/v1/auth/google?returnUrl=%2Faccount');
  });
});
