import { TestBed } from '@angular/core/testing';
import { AuthStore } from '@latchkey/auth-angular';
import { NameEditor } from './name-editor';
import { ADA, API, authResponse, renderPage } from '../testing/page-test-bed';

const ME_URL = `${API}/auth/me`;

describe('NameEditor', () => {
  async function render(user = ADA) {
    const page = await renderPage(NameEditor, { user }, {
      beforeCreate: () => TestBed.inject(AuthStore).setSession(user, Date.now() + 60_000),
    });
    return page;
  }

  afterEach(() => jest.restoreAllMocks());

  it('shows the name, or that there is none', async () => {
    expect((await render()).el.querySelector('[data-testid="user-name"]')?.textContent).toBe('Ada Lovelace');
  });

  it('opens a form with the name, focused; Cancel closes it and gives focus back to the button', async () => {
    const page = await render();
    page.button('Edit name').click();
    await page.stable();
    expect(page.field('Your name').value).toBe('Ada Lovelace');
    expect(document.activeElement).toBe(page.field('Your name'));

    page.button('Cancel').click();
    await page.stable();
    expect(page.el.querySelector('form')).toBeNull();
    expect(document.activeElement).toBe(page.button('Edit name'));
  });

  it('saves a new name with PATCH auth/me, into the store, and says so', async () => {
    const page = await render();
    page.button('Edit name').click();
    await page.stable();
    page.type('Your name', '  Augusta Ada King ');
    page.button('Save name').click();
    await page.stable();

    const request = page.httpMock.expectOne(ME_URL);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ name: 'Augusta Ada King' });
    request.flush(authResponse({ ...ADA, name: 'Augusta Ada King' }));
    await page.stable();

    expect(TestBed.inject(AuthStore).user()?.name).toBe('Augusta Ada King');
    expect(page.el.querySelector('[role="status"]')?.textContent).toContain('Name saved.');
    expect(page.el.querySelector('form')).toBeNull();
    expect(document.activeElement).toBe(page.button('Edit name'));
  });

  it('an empty name clears it', async () => {
    const page = await render();
    page.button('Edit name').click();
    await page.stable();
    page.type('Your name', '   ');
    page.button('Save name').click();
    await page.stable();
    const request = page.httpMock.expectOne(ME_URL);
    expect(request.request.body).toEqual({ name: null });
    request.flush(authResponse({ ...ADA, name: null }));
  });

  it('refuses over 100 characters, and shows what the API refuses', async () => {
    const page = await render();
    page.button('Edit name').click();
    await page.stable();
    page.type('Your name', 'x'.repeat(101));
    page.button('Save name').click();
    await page.stable();
    expect(page.text()).toContain('Use at most 100 characters.');
    page.httpMock.expectNone(ME_URL);

    page.type('Your name', 'Ada\u202e');
    page.button('Save name').click();
    await page.stable();
    page.httpMock
      .expectOne(ME_URL)
      .flush(
        { statusCode: 400, message: ['name must not contain control characters'], error: 'Bad Request' },
        { status: 400, statusText: 'Bad Request' },
      );
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain('Name must not contain control characters.');
  });
});
