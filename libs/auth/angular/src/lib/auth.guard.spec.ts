import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree } from '@angular/router';
import { Observable, firstValueFrom, isObservable } from 'rxjs';
import { AUTH_MESSAGES } from './auth-messenger';
import { authGuard } from './auth.guard';
import { KNOWN_USER_KEY } from './known-user';
import { AuthService } from './auth.service';
import { ALICE, API, REFRESH_URL, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const ME_URL = `${API}/auth/me`;
const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };

describe('authGuard', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;

  const run = (url = '/account?tab=sessions') =>
    TestBed.runInInjectionContext(() =>
      authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    ) as boolean | UrlTree | Observable<boolean | UrlTree>;

  const serialize = (result: unknown) =>
    result instanceof UrlTree ? t.router.serializeUrl(result) : result;

  /** A browser someone signed in to before (the profile kept), whose session may still be there. */
  const signedInBefore = { storedItems: { [KNOWN_USER_KEY]: JSON.stringify(ALICE) } };

  beforeEach(() => (t = setUpAuthTestBed(signedInBefore)));
  afterEach(() => t.httpMock.verify());

  it('lets a signed-in user through without asking the API', () => {
    t.store.setSession(ALICE, Date.now() + 60_000);
    expect(run()).toBe(true);
  });

  it('sends a known anonymous user to login with the returnUrl', () => {
    t.store.markAnonymous();
    expect(serialize(run())).toBe('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');
  });

  it('asks auth/me once when it does not know yet, and lets the user in', async () => {
    const first = run();
    const second = run();
    if (!isObservable(first) || !isObservable(second)) throw new Error('expected observables');
    const answers = Promise.all([firstValueFrom(first), firstValueFrom(second)]);
    t.httpMock.expectOne(ME_URL).flush(authResponse(Date.now() + 60_000));
    expect(await answers).toEqual([true, true]);
    expect(t.store.user()).toEqual(ALICE);
  });

  it('sends a first-time visitor to login without asking the API (no 401 in the console)', async () => {
    TestBed.resetTestingModule();
    t = setUpAuthTestBed();
    const result = run();
    const answer = isObservable(result) ? await firstValueFrom(result) : result;
    expect(serialize(answer)).toBe('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');
    expect(t.store.status()).toBe('anonymous');
    expect(t.messages).toEqual([]);
  });

  it('asks again after a sign-in through a provider’s page (Google), which this browser could not see', async () => {
    TestBed.resetTestingModule();
    t = setUpAuthTestBed();
    TestBed.inject(AuthService).expectRedirectSignIn();
    const result = run();
    if (!isObservable(result)) throw new Error('expected an observable');
    const answer = firstValueFrom(result);
    t.httpMock.expectOne(ME_URL).flush(authResponse(Date.now() + 60_000));
    expect(await answer).toBe(true);
  });

  it('sends a visitor whose session ended to login without the session-ended message', async () => {
    const result = run();
    if (!isObservable(result)) throw new Error('expected an observable');
    const answer = firstValueFrom(result);
    t.httpMock.expectOne(ME_URL).flush({ statusCode: 401 }, UNAUTHORIZED);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve));
    t.httpMock.expectOne(REFRESH_URL).flush({ statusCode: 401 }, UNAUTHORIZED);
    expect(serialize(await answer)).toBe('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');
    expect(t.messages).toEqual([]);
    expect(t.navigations).toEqual([]);
    expect(t.store.status()).toBe('anonymous');
  });

  it('says the connection was lost when refresh fails on the network, and leaves navigation to the router', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const result = run();
      if (!isObservable(result)) throw new Error('expected an observable');
      const answer = firstValueFrom(result);
      t.httpMock.expectOne(ME_URL).flush({ statusCode: 401 }, UNAUTHORIZED);
      await jest.advanceTimersByTimeAsync(0);
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await jest.advanceTimersByTimeAsync(1000);
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      expect(serialize(await answer)).toBe('/login?returnUrl=%2Faccount%3Ftab%3Dsessions');
      expect(t.messages).toEqual([AUTH_MESSAGES.lostConnection]);
      expect(t.navigations).toEqual([]); // the guard's UrlTree is the one navigation
    } finally {
      jest.useRealTimers();
    }
  });
});
