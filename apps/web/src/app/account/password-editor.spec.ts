import { PasswordEditor } from './password-editor';
import { ADA, API, expectPasswordField, renderPage } from '../testing/page-test-bed';

const CHANGE_URL = `${API}/auth/password/change`;

describe('PasswordEditor', () => {
  async function render(user = ADA) {
    const page = await renderPage(PasswordEditor, { user });
    let changes = 0;
    page.fixture.componentInstance.changed.subscribe(() => changes++);
    return { ...page, changes: () => changes };
  }

  async function change(page: Awaited<ReturnType<typeof render>>, current = 'old password', next = 'new password') {
    page.button('Change password').click();
    await page.stable();
    page.type('Current password', current);
    page.type('New password', next);
    page.el.querySelector<HTMLButtonElement>('form button[type="submit"]')?.click();
    await page.stable();
  }

  afterEach(() => jest.restoreAllMocks());

  it('changes the password and says the other sessions were signed out', async () => {
    const page = await render();
    await change(page);
    const request = page.httpMock.expectOne(CHANGE_URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ currentPassword: 'old password', newPassword: 'new password' });
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();
    expect(page.el.querySelector('[role="status"]')?.textContent).toContain(
      'Password changed. Your other sessions were signed out.',
    );
    expect(page.changes()).toBe(1);
    expect(document.activeElement).toBe(page.button('Change password'));
  });

  it('marks the current and the new password for password managers, each with a show button', async () => {
    const page = await render();
    page.button('Change password').click();
    await page.stable();
    await expectPasswordField(page, 'Current password', 'current-password');
    await expectPasswordField(page, 'New password', 'new-password');
  });

  it('checks the new password length before asking the API', async () => {
    const page = await render();
    await change(page, 'old password', 'short');
    expect(page.text()).toContain('Use at least 8 characters.');
    expect(document.activeElement).toBe(page.field('New password'));
    page.httpMock.expectNone(CHANGE_URL);
  });

  it('a wrong current password (403) is shown on that field', async () => {
    const page = await render();
    await change(page, 'not it');
    page.httpMock
      .expectOne(CHANGE_URL)
      .flush({ statusCode: 403, message: 'Forbidden', error: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    await page.stable();
    expect(page.text()).toContain('Your current password is not right.');
    expect(document.activeElement).toBe(page.field('Current password'));
    expect(page.changes()).toBe(0);
  });

  it('a Google-only account has no password to change: it is pointed at a reset link', async () => {
    const page = await render({ ...ADA, providers: ['google'] });
    expect(() => page.button('Change password')).toThrow();
    const hint = page.el.querySelector('[data-testid="no-password"]');
    expect(hint?.textContent).toContain('you sign in with Google');
    expect(hint?.querySelector('a')?.getAttribute('href')).toBe('/forgot-password');
  });
});
