import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { RegisterPage } from './register-page';
import { ADA, API, authResponse, expectPasswordField, renderPage } from '../testing/page-test-bed';

const PROVIDERS_URL = `${API}/auth/providers`;
const REGISTER_URL = `${API}/auth/register`;

describe('RegisterPage', () => {
  async function render(inputs: Record<string, unknown> = {}) {
    const page = await renderPage(RegisterPage, inputs);
    page.httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: false });
    await page.stable();
    return page;
  }

  async function register(page: Awaited<ReturnType<typeof render>>, password = 'long enough', name = '') {
    page.type('Email', ADA.email);
    page.type('Password', password);
    page.type('Name (optional)', name);
    page.button('Create account').click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('marks the fields for password managers (a new address, a new password) and offers to show the password', async () => {
    const page = await render();
    expect(page.field('Email').autocomplete).toBe('email');
    expect(page.field('Name (optional)').autocomplete).toBe('name');
    await expectPasswordField(page, 'Password', 'new-password');
  });

  it('asks for 8 to 128 characters of password', async () => {
    const page = await render();
    expect(page.text()).toContain('8 to 128 characters');

    await register(page, 'short');
    expect(page.text()).toContain('Use at least 8 characters.');
    expect(document.activeElement).toBe(page.field('Password'));

    await register(page, 'x'.repeat(129));
    expect(page.text()).toContain('Use at most 128 characters.');
    page.httpMock.expectNone(REGISTER_URL);
  });

  it('creates the account without a name, then goes to the account page', async () => {
    const page = await render();
    await register(page);
    const request = page.httpMock.expectOne(REGISTER_URL);
    expect(request.request.body).toEqual({ email: ADA.email, password: 'long enough' });
    request.flush(authResponse(), { status: 201, statusText: 'Created' });
    await page.stable();
    expect(page.navigations).toEqual(['/account']);
  });

  it('sends the name when given', async () => {
    const page = await render({ returnUrl: '/account?tab=sessions' });
    await register(page, 'long enough', '  Ada Lovelace ');
    const request = page.httpMock.expectOne(REGISTER_URL);
    expect(request.request.body).toEqual({ email: ADA.email, password: 'long enough', name: 'Ada Lovelace' });
    request.flush(authResponse(), { status: 201, statusText: 'Created' });
    await page.stable();
    expect(page.navigations).toEqual(['/account?tab=sessions']);
  });

  it('when the email must be verified first: no session, a "check your email" step, focused', async () => {
    const page = await render();
    await register(page);
    page.httpMock
      .expectOne(REGISTER_URL)
      .flush({ user: { ...ADA, emailVerified: false }, verificationRequired: true }, { status: 201, statusText: 'Created' });
    await page.stable();

    expect(page.navigations).toEqual([]);
    const heading = page.el.querySelector('h1');
    expect(heading?.textContent).toBe('Check your email');
    expect(document.activeElement).toBe(heading);
    expect(page.el.querySelector('[data-testid="verification-required"]')?.textContent).toContain(
      `We've sent a link to ${ADA.email}. Open it to verify your address, then sign in.`,
    );
    expect(page.el.querySelector('form')).toBeNull();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
  });

  it('shows a taken email on the email field, with a way to sign in', async () => {
    const page = await render();
    await register(page);
    page.httpMock
      .expectOne(REGISTER_URL)
      .flush(
        { statusCode: 409, message: 'An account with this email already exists', error: 'Conflict' },
        { status: 409, statusText: 'Conflict' },
      );
    await page.stable();

    const error = page.el.querySelector('[data-testid="email-taken"]');
    expect(error?.textContent).toContain('An account with this email already exists.');
    expect(error?.querySelector('a')?.getAttribute('href')).toBe('/login');
    expect(page.field('Email').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(page.field('Email'));
    expect(page.navigations).toEqual([]);

    page.type('Email', 'other@example.com');
    await page.stable();
    expect(page.el.querySelector('[data-testid="email-taken"]')).toBeNull();
  });

  it('shows validation messages from the API', async () => {
    const page = await render();
    await register(page);
    page.httpMock
      .expectOne(REGISTER_URL)
      .flush(
        { statusCode: 400, message: ['email must be an email address'], error: 'Bad Request' },
        { status: 400, statusText: 'Bad Request' },
      );
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain('Email must be an email address.');
  });
});
