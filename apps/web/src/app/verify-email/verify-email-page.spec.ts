import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { VerifyEmailPage } from './verify-email-page';
import { MailLinkToken } from '../mail-link/mail-link-token';
import { ADA, API, authResponse, renderPage, unauthorized } from '../testing/page-test-bed';

const ME_URL = `${API}/auth/me`;
const REFRESH_URL = `${API}/auth/refresh`;
const VERIFY_URL = `${API}/auth/email/verify`;
const UNVERIFIED = { ...ADA, emailVerified: false };

describe('VerifyEmailPage', () => {
  /** A browser someone signed in to before: the page first asks the API who is signed in. */
  function render(token: string | null = 'the-token') {
    return renderPage(VerifyEmailPage, {}, {
      signedInHereBefore: true,
      beforeCreate: () => {
        if (token) TestBed.inject(MailLinkToken).keep('/verify-email', token);
      },
    });
  }

  type Page = Awaited<ReturnType<typeof render>>;

  /** The browser has no session: /me and the refresh answer 401. */
  async function answerAnonymous(page: Page) {
    const { body, init } = unauthorized();
    page.httpMock.expectOne(ME_URL).flush(body, init);
    await page.stable();
    page.httpMock.expectOne(REFRESH_URL).flush(body, init);
    await page.stable();
  }

  const link = (page: Page, text: string) =>
    Array.from(page.el.querySelectorAll('a')).find((a) => a.textContent?.trim() === text);

  afterEach(() => jest.restoreAllMocks());

  it('signed in: verifies, shows it in the store (every tab), focused, and continues to the account', async () => {
    const page = await render();
    expect(page.text()).toContain('Checking your link…');
    page.httpMock.expectOne(ME_URL).flush(authResponse(UNVERIFIED));
    await page.stable();

    const request = page.httpMock.expectOne(VERIFY_URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ token: 'the-token' });
    request.flush({ user: ADA });
    await page.stable();

    const notice = page.el.querySelector<HTMLElement>('[data-testid="email-verified"]');
    expect(notice?.textContent).toContain(`Your email address ${ADA.email} is verified.`);
    expect(document.activeElement).toBe(notice);
    expect(TestBed.inject(AuthStore).user()?.emailVerified).toBe(true);
    expect(link(page, 'Continue to your account')?.getAttribute('href')).toBe('/account');
  });

  it('signed out: verifies (after the XSRF cookie came with /me), then offers to sign in', async () => {
    const page = await render();
    await answerAnonymous(page);
    page.httpMock.expectOne(VERIFY_URL).flush({ user: ADA });
    await page.stable();
    expect(page.text()).toContain(`Your email address ${ADA.email} is verified.`);
    expect(link(page, 'Sign in to continue')?.getAttribute('href')).toBe('/login?returnUrl=%2Faccount');
    expect(page.messages).toEqual([]); // no "session ended" for a visitor who was never signed in
  });

  it('an expired or used link says so, focused, and points to the account page for a new one', async () => {
    const page = await render();
    await answerAnonymous(page);
    page.httpMock
      .expectOne(VERIFY_URL)
      .flush({ statusCode: 400, message: 'Invalid or expired link', error: 'Bad Request' }, { status: 400, statusText: 'Bad Request' });
    await page.stable();
    const notice = page.el.querySelector<HTMLElement>('[data-testid="bad-link"]');
    expect(notice?.textContent).toContain('This link has expired or was already used.');
    expect(notice?.querySelector('a')?.getAttribute('href')).toBe('/account');
    expect(document.activeElement).toBe(notice);
  });

  it('an address taken meanwhile (409) says the change did not happen', async () => {
    const page = await render();
    page.httpMock.expectOne(ME_URL).flush(authResponse());
    await page.stable();
    page.httpMock
      .expectOne(VERIFY_URL)
      .flush({ statusCode: 409, message: 'Email taken', error: 'Conflict' }, { status: 409, statusText: 'Conflict' });
    await page.stable();
    expect(page.el.querySelector('[data-testid="email-taken"]')?.textContent).toContain(
      'Another account started using that address meanwhile, so yours was not changed.',
    );
    expect(TestBed.inject(AuthStore).user()).toEqual(ADA);
  });

  it('offers to try again after a network failure, with the same token', async () => {
    const page = await render();
    page.httpMock.expectOne(ME_URL).flush(authResponse());
    await page.stable();
    page.httpMock.expectOne(VERIFY_URL).error(new ProgressEvent('error'));
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain("Can't reach Latchkey.");

    page.button('Try again').click();
    await page.stable();
    const retry = page.httpMock.expectOne(VERIFY_URL);
    expect(retry.request.body).toEqual({ token: 'the-token' });
    retry.flush({ user: ADA });
    await page.stable();
    expect(page.el.querySelector('[data-testid="email-verified"]')).not.toBeNull();
  });

  it('in a browser nobody signed in to: verifies without asking who is signed in, then offers to sign in', async () => {
    const page = await renderPage(VerifyEmailPage, {}, {
      beforeCreate: () => TestBed.inject(MailLinkToken).keep('/verify-email', 'the-token'),
    });
    page.httpMock.expectNone(ME_URL);
    page.httpMock.expectOne(VERIFY_URL).flush({ user: ADA });
    await page.stable();
    expect(link(page, 'Sign in to continue')?.getAttribute('href')).toBe('/login?returnUrl=%2Faccount');
  });

  it('without a token: explains, and asks the API nothing', async () => {
    const page = await render(null);
    expect(page.el.querySelector('[data-testid="no-link"]')?.textContent).toContain(
      'This page needs the link from your email.',
    );
    page.httpMock.expectNone(VERIFY_URL);
    page.httpMock.expectNone(ME_URL);
  });
});
