import { HttpHeaders } from '@angular/common/http';
import { EmailVerificationBanner } from './email-verification-banner';
import { ADA, API, renderPage } from '../testing/page-test-bed';

const VERIFICATION_URL = `${API}/auth/email/verification`;

describe('EmailVerificationBanner', () => {
  const render = () => renderPage(EmailVerificationBanner, { email: ADA.email });

  afterEach(() => jest.restoreAllMocks());

  it('names the address and resends the link', async () => {
    const page = await render();
    expect(page.text()).toContain(`We sent a link to ${ADA.email}.`);
    page.button('Resend').click();
    await page.stable();
    const request = page.httpMock.expectOne(VERIFICATION_URL);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 202, statusText: 'Accepted' });
    await page.stable();
    expect(page.el.querySelector('[role="status"]')?.textContent).toContain(
      `We sent a new verification link to ${ADA.email}.`,
    );
  });

  it('says when to try again after too many', async () => {
    const page = await render();
    page.button('Resend').click();
    await page.stable();
    page.httpMock
      .expectOne(VERIFICATION_URL)
      .flush(
        { statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' },
        { status: 429, statusText: 'Too Many Requests', headers: new HttpHeaders({ 'Retry-After': '120' }) },
      );
    await page.stable();
    expect(page.el.querySelector('[role="alert"]')?.textContent).toContain('Please wait 2 minutes');
  });
});
