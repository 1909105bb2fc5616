import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { firstValueFrom } from 'rxjs';
import { XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { AuthStore, provideAuth } from '@latchkey/auth-angular';
import { ADA, API, authResponse, unauthorized } from '../testing/page-test-bed';
import { SignedInRedirect, redirectSignedInGuard } from './signed-in-redirect';

const ME_URL = `${API}/auth/me`;
const REFRESH_URL = `${API}/auth/refresh`;

@Component({ selector: 'lk-test-page', template: '<h1>page</h1>' })
class TestPage {}

describe('redirectSignedInGuard', () => {
  let httpMock: HttpTestingController;
  let store: AuthStore;
  let router: Router;

  beforeEach(() => {
    document.cookie = `${XSRF_COOKIE_NAME}=xsrf-test-token; path=/`;
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', canActivate: [redirectSignedInGuard], component: TestPage },
          { path: 'register', canActivate: [redirectSignedInGuard], component: TestPage },
          { path: 'account', component: TestPage },
          { path: 'elsewhere', component: TestPage },
        ]),
        provideAuth({ refreshBackoffMs: 0 }),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => httpMock.verify());

  /** Someone signed in in this browser before (the auth library's record of it): a first load asks the API. */
  const signedInHereBefore = () => localStorage.setItem('latchkey:user', JSON.stringify(ADA));
  /** Lets the HTTP answers' follow-ups (the refresh after a 401, the navigation) run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  const signedOutAnswers = async () => {
    const { body, init } = unauthorized();
    httpMock.expectOne(ME_URL).flush(body, init);
    await settle();
    httpMock.expectOne(REFRESH_URL).flush(body, init);
    await settle();
  };

  it.each([
    ['/login', '/account'],
    ['/register', '/account'],
    ['/login?returnUrl=%2Faccount%3Ftab%3Dsessions', '/account?tab=sessions'],
    ['/register?returnUrl=%2Felsewhere%3Fa%3D1', '/elsewhere?a=1'],
  ])('sends a signed-in user opening %s on to %s, without showing the form', async (url, target) => {
    store.setSession(ADA, Date.now() + 60_000);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    expect(router.url).toBe(target);
  });

  it.each(['//evil.example', 'https://evil.example/account', '/login', '/register'])(
    'never follows the returnUrl %s: the account page instead',
    async (returnUrl) => {
      store.setSession(ADA, Date.now() + 60_000);
      const harness = await RouterTestingHarness.create();
      await harness.navigateByUrl(`/login?returnUrl=${encodeURIComponent(returnUrl)}`);
      expect(router.url).toBe('/account');
    },
  );

  it('leaves a user on the page when the library sent them there after a lost connection (the token expired, the refresh failed)', async () => {
    // The store still names the user, but the session could not be renewed: bouncing back would loop.
    store.setSession(ADA, Date.now() - 1_000);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login?returnUrl=%2Faccount');
    expect(router.url).toBe('/login?returnUrl=%2Faccount');
  });

  it('leaves the offline copy of a user on the page (nothing proves the session)', async () => {
    store.setOfflineUser(ADA);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    expect(router.url).toBe('/login');
  });

  it('shows the form to a known signed-out visitor, asking nothing', async () => {
    store.markAnonymous();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    expect(router.url).toBe('/login');
    httpMock.expectNone(ME_URL);
  });

  it('on a first load opens the page at once, then sends the user on when the API says signed in', async () => {
    signedInHereBefore();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');
    expect(router.url).toBe('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');

    httpMock.expectOne(ME_URL).flush(authResponse());
    await settle();
    expect(router.url).toBe('/account?tab=sessions');
  });

  it('on a first load leaves a signed-out visitor on the page', async () => {
    signedInHereBefore();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/register');
    await signedOutAnswers();
    expect(router.url).toBe('/register');
    expect(store.status()).toBe('anonymous');
  });

  it('a first visit to this browser: the form at once, nothing asked (no 401 in the console)', async () => {
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    httpMock.expectNone(ME_URL);
    expect(router.url).toBe('/login');
    await expect(firstValueFrom(TestBed.inject(SignedInRedirect).whenNotSignedIn())).resolves.toBeUndefined();
  });

  it('does not pull back a user who left the page before the answer came', async () => {
    signedInHereBefore();
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login');
    await harness.navigateByUrl('/elsewhere');
    httpMock.expectOne(ME_URL).flush(authResponse());
    await settle();
    expect(router.url).toBe('/elsewhere');
  });

  it('shows an ?error= from the Google flow, signed in or not (a failed re-authentication)', async () => {
    store.setSession(ADA, Date.now() + 60_000);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/login?error=access_denied');
    expect(router.url).toBe('/login?error=access_denied');
  });

  describe('SignedInRedirect.whenNotSignedIn (what the forms wait for before they post)', () => {
    it('answers at once when no check runs', async () => {
      await expect(firstValueFrom(TestBed.inject(SignedInRedirect).whenNotSignedIn())).resolves.toBeUndefined();
    });

    it('waits for a running check; answers once it found no session', async () => {
      signedInHereBefore();
      const harness = await RouterTestingHarness.create();
      await harness.navigateByUrl('/login');
      let answered = false;
      TestBed.inject(SignedInRedirect)
        .whenNotSignedIn()
        .subscribe(() => (answered = true));
      await settle();
      expect(answered).toBe(false);
      await signedOutAnswers();
      expect(answered).toBe(true);
    });

    it('never answers when the check found a session: the user is sent on instead of posting', async () => {
      signedInHereBefore();
      const harness = await RouterTestingHarness.create();
      await harness.navigateByUrl('/login');
      let answered = false;
      TestBed.inject(SignedInRedirect)
        .whenNotSignedIn()
        .subscribe(() => (answered = true));
      httpMock.expectOne(ME_URL).flush(authResponse());
      await settle();
      expect(answered).toBe(false);
      expect(router.url).toBe('/account');
    });
  });
});
