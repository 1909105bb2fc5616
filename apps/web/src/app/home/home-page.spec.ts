import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { HomePage } from './home-page';
import { ADA, API, authResponse, renderPage, unauthorized } from '../testing/page-test-bed';

const ME_URL = `${API}/auth/me`;

describe('HomePage', () => {
  afterEach(() => jest.restoreAllMocks());

  const links = (el: HTMLElement) =>
    Array.from(el.querySelectorAll<HTMLAnchorElement>('.actions a')).map((a) => ({
      text: a.textContent?.trim(),
      href: a.getAttribute('href'),
      isMaterialButton: a.classList.contains('mat-mdc-button-base'),
    }));

  it('says what Latchkey does: cookie sessions, silent refresh, every device revocable', async () => {
    const page = await renderPage(HomePage);
    expect(page.el.querySelector('h1')?.textContent?.trim()).toBeTruthy();
    const features = Array.from(page.el.querySelectorAll('.features h2')).map((h) => h.textContent?.trim());
    expect(features).toEqual(['Secure cookie sessions', 'Silent refresh', 'Every device, in your hands']);
    expect(page.text()).toContain('sign any of them out');
  });

  it('to a first-time visitor: "Create an account" and "Sign in", as buttons, nothing asked', async () => {
    const page = await renderPage(HomePage);
    page.httpMock.expectNone(ME_URL);
    expect(links(page.el)).toEqual([
      { text: 'Create an account', href: '/register', isMaterialButton: true },
      { text: 'Sign in', href: '/login', isMaterialButton: true },
    ]);
  });

  it('to a visitor whose session ended: the same two buttons', async () => {
    const page = await renderPage(HomePage, {}, { signedInHereBefore: true });
    const { body, init } = unauthorized();
    page.httpMock.expectOne(ME_URL).flush(body, init);
    await page.stable();
    page.httpMock.expectOne(`${API}/auth/refresh`).flush(body, init);
    await page.stable();
    expect(links(page.el)).toEqual([
      { text: 'Create an account', href: '/register', isMaterialButton: true },
      { text: 'Sign in', href: '/login', isMaterialButton: true },
    ]);
  });

  it('asks the API whether this browser is still signed in, and then offers the account', async () => {
    const page = await renderPage(HomePage, {}, { signedInHereBefore: true });
    page.httpMock.expectOne(ME_URL).flush(authResponse());
    await page.stable();
    expect(links(page.el)).toEqual([{ text: 'Go to your account', href: '/account', isMaterialButton: true }]);
  });

  it('a user already signed in in this tab: the account at once, nothing asked', async () => {
    const page = await renderPage(HomePage, {}, {
      beforeCreate: () => TestBed.inject(AuthStore).setSession(ADA, Date.now() + 60_000),
    });
    page.httpMock.expectNone(ME_URL);
    expect(links(page.el)).toEqual([{ text: 'Go to your account', href: '/account', isMaterialButton: true }]);
  });
});
