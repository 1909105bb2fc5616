import { TestBed } from '@angular/core/testing';
import { AuthService } from '@latchkey/auth-angular';
import { GoogleSignInLink, googleErrorMessage, googleSignInHref } from './google-sign-in';

describe('Google sign-in', () => {
  it('explains every error code of the Google flow', () => {
    for (const code of ['invalid_state', 'access_denied', 'provider_error', 'email_not_verified', 'provider_unavailable']) {
      expect(googleErrorMessage(code)).toMatch(/\w+ .*\./);
    }
    expect(googleErrorMessage('access_denied')).toContain('cancelled');
  });

  it('has a general message for unknown codes and none without a code', () => {
    expect(googleErrorMessage('something_new')).toBe('Google sign-in did not work. Please try again.');
    expect(googleErrorMessage('toString')).toBe('Google sign-in did not work. Please try again.');
    expect(googleErrorMessage(null)).toBeNull();
  });

  it('starts the flow at the API with the return URL', () => {
    expect(googleSignInHref('/account?tab=1')).toBe('/api/v1/auth/google?returnUrl=%2Faccount%3Ftab%3D1');
  });
});

describe('the Google sign-in link', () => {
  it('tells the auth library before the browser leaves, so the app asks the API when it comes back', () => {
    const expectRedirectSignIn = jest.fn();
    TestBed.configureTestingModule({ providers: [{ provide: AuthService, useValue: { expectRedirectSignIn } }] });
    const fixture = TestBed.createComponent(GoogleSignInLink);
    fixture.componentRef.setInput('returnUrl', '/account');
    fixture.detectChanges();
    const link = fixture.nativeElement.querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/v1/auth/google?returnUrl=%2Faccount');
    // The navigation itself is the browser's; only the click handler matters here.
    link.addEventListener('click', (event) => event.preventDefault());
    link.click();
    expect(expectRedirectSignIn).toHaveBeenCalledTimes(1);
  });
});
