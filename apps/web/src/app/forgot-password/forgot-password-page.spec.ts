import { HttpHeaders } from '@angular/common/http';
import { ForgotPasswordPage } from './forgot-password-page';
import { ADA, API, renderPage } from '../testing/page-test-bed';

const PROVIDERS_URL = `${API}/auth/providers`;
const FORGOT_URL = `${API}/auth/password/forgot`;
const ACCEPTED = { status: 202, statusText: 'Accepted' };
const SAME_ANSWER = "If an account exists for that address, we've sent a link to choose a new password.";

describe('ForgotPasswordPage', () => {
  async function render() {
    const page = await renderPage(ForgotPasswordPage);
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: false });
    await page.stable();
    return page;
  }

  async function ask(page: Awaited<ReturnType<typeof render>>, email = ADA.email) {
    page.type('Email', email);
    page.button('Send reset link').click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('asks for the email address, labelled', async () => {
    const page = await render();
    expect(page.el.querySelector('h1')?.textContent).toBe('Reset your password');
    expect(page.field('Email').type).toBe('email');
    expect(page.field('Email').autocomplete).toBe('email');
  });

  it('refuses a malformed address without asking the API', async () => {
    const page = await render();
    await ask(page, 'not-an-email');
    expect(page.text()).toContain('Enter an email address like name@example.com.');
    expect(document.activeElement).toBe(page.field('Email'));
    page.httpMock.expectNone(FORGOT_URL);
  });

  it('sends the address and gives the same answer whatever the API knows, focused', async () => {
    const page = await render();
    await ask(page);
    const request = page.httpMock.expectOne(FORGOT_URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: ADA.email });
    request.flush(null, ACCEPTED);
    await page.stable();

    const notice = page.el.querySelector<HTMLElement>('[data-testid="forgot-sent"]');
    expect(notice?.getAttribute('role')).toBe('status');
    expect(notice?.textContent).toContain(SAME_ANSWER);
    expect(notice?.textContent).toContain(ADA.email);
    expect(document.activeElement).toBe(notice);
    expect(page.navigations).toEqual([]);
  });

  it('goes back to the form for another address', async () => {
    const page = await render();
    await ask(page);
    page.httpMock.expectOne(FORGOT_URL).flush(null, ACCEPTED);
    await page.stable();
    page.button('Use another address').click();
    await page.stable();
    expect(document.activeElement).toBe(page.field('Email'));
  });

  it('waits for the first API answer (and its XSRF cookie) before posting', async () => {
    const page = await renderPage(ForgotPasswordPage);
    const providers = page.httpMock.expectOne(PROVIDERS_URL);
    await ask(page);
    page.httpMock.expectNone(FORGOT_URL);
    providers.flush({ password: true, google: false });
    await page.stable();
    page.httpMock.expectOne(FORGOT_URL).flush(null, ACCEPTED);
  });

  it('says when too many links were asked for', async () => {
    const page = await render();
    await ask(page);
    page.httpMock
      .expectOne(FORGOT_URL)
      .flush(
        { statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' },
        { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '3600' }) },
      );
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain(
      'Too many attempts. Please wait 60 minutes before trying again.',
    );
    expect(page.el.querySelector('[data-testid="forgot-sent"]')).toBeNull();
  });

  it('links back to sign in', async () => {
    const page = await render();
    const link = Array.from(page.el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'Back to sign in');
    expect(link?.getAttribute('href')).toBe('/login');
  });
});
