import { TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { Router } from '@angular/router';
import { AuthPaths } from '@latchkey/auth-contract';
import { AUTH_MESSAGES } from './auth-messenger';
import { apiRelativePath } from './auth.interceptor';
import { REFRESH_LOCK_NAME } from './refresh-coordinator';
import { REFRESH_RECORD_KEY } from './tab-sync';
import { ALICE, API, REFRESH_URL, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const SESSIONS_URL = `${API}/auth/sessions`;
const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };
const unauthorizedBody = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };

/** Lets promise callbacks (Web Locks, channel delivery) run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

interface Results {
  values: unknown[];
  errors: HttpErrorResponse[];
}

describe('authInterceptor', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  const now = () => Date.now();

  function getSessions(count: number): Results {
    const results: Results = { values: [], errors: [] };
    for (let i = 0; i < count; i++) {
      t.http.get(SESSIONS_URL).subscribe({
        next: (value) => results.values.push(value),
        error: (error: HttpErrorResponse) => results.errors.push(error),
      });
    }
    return results;
  }

  function answerSessionsWith401(expected: number) {
    const requests = t.httpMock.match(SESSIONS_URL);
    expect(requests).toHaveLength(expected);
    requests.forEach((request) => request.flush(unauthorizedBody, UNAUTHORIZED));
  }

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    jest.setSystemTime(new Date('2030-01-01T10:00:00Z'));
  });

  afterEach(() => {
    t.httpMock.verify();
    jest.useRealTimers();
  });

  describe('with Web Locks', () => {
    beforeEach(() => {
      t = setUpAuthTestBed({ config: { onAuthFail: undefined } });
      t.store.setSession(ALICE, now() + 30 * 60_000);
    });

    it('sends credentials to the API only', () => {
      t.http.get(SESSIONS_URL).subscribe();
      t.http.get('https://example.org/elsewhere').subscribe();
      expect(t.httpMock.expectOne(SESSIONS_URL).request.withCredentials).toBe(true);
      expect(t.httpMock.expectOne('https://example.org/elsewhere').request.withCredentials).toBe(false);
    });

    it('queues 10 concurrent 401s behind exactly one refresh, then retries each once', async () => {
      const results = getSessions(10);
      answerSessionsWith401(10);
      await settle();

      const refresh = t.httpMock.expectOne(REFRESH_URL);
      expect(refresh.request.method).toBe('POST');
      expect(refresh.request.withCredentials).toBe(true);
      const newExpiry = now() + 30 * 60_000 + 5000;
      refresh.flush(authResponse(newExpiry));
      await settle();

      const retries = t.httpMock.match(SESSIONS_URL);
      expect(retries).toHaveLength(10);
      retries.forEach((retry) => retry.flush([]));
      expect(results.values).toHaveLength(10);
      expect(results.errors).toHaveLength(0);
      expect(t.store.expiresAtMs()).toBe(newExpiry);
      expect(t.locks.requested).toEqual([REFRESH_LOCK_NAME]);
      t.httpMock.expectNone(REFRESH_URL);
    });

    it('passes a second 401 after a good refresh through, without another refresh', async () => {
      const results = getSessions(1);
      answerSessionsWith401(1);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();

      answerSessionsWith401(1);
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      expect(results.errors.map((e) => e.status)).toEqual([401]);
    });

    it('reuses a refresh that finished after a request was sent instead of refreshing again', async () => {
      const early = getSessions(1);
      const late = getSessions(1);
      const [first, second] = t.httpMock.match(SESSIONS_URL);
      first.flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      t.httpMock.expectOne(SESSIONS_URL).flush(['early']);

      second.flush(unauthorizedBody, UNAUTHORIZED); // sent before that refresh, answered after it
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      t.httpMock.expectOne(SESSIONS_URL).flush(['late']);
      expect([...early.values, ...late.values]).toEqual([['early'], ['late']]);
    });

    it.each(['login', 'register', 'refresh', 'logout'] as const)(
      'never refreshes on a 401 from auth/%s',
      async (name) => {
        const url = `${API}/${AuthPaths[name]}`;
        const errors: number[] = [];
        t.http.post(url, {}).subscribe({ error: (e: HttpErrorResponse) => errors.push(e.status) });
        t.httpMock.expectOne(url).flush(unauthorizedBody, UNAUTHORIZED);
        await settle();
        t.httpMock.expectNone(REFRESH_URL);
        expect(errors).toEqual([401]);
      },
    );

    it('refreshes on a 401 from auth/me', async () => {
      t.http.get(`${API}/auth/me`).subscribe();
      t.httpMock.expectOne(`${API}/auth/me`).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60_000));
      await settle();
      t.httpMock.expectOne(`${API}/auth/me`).flush(authResponse(now() + 60_000));
    });

    it('when refresh answers 401: the default onAuthFail shows a message and goes to login once, no retries', async () => {
      jest.spyOn(TestBed.inject(Router), 'url', 'get').mockReturnValue('/settings?tab=2');
      const results = getSessions(3);
      answerSessionsWith401(3);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();

      expect(results.errors.map((e) => e.status)).toEqual([401, 401, 401]);
      expect(t.messages).toEqual([AUTH_MESSAGES.sessionEnded]);
      expect(t.navigations).toEqual(['/login?returnUrl=%2Fsettings%3Ftab%3D2']);
      expect(t.store.status()).toBe('anonymous');
    });

    it('when refresh fails on the network: retries once after the backoff, then says so and goes to login', async () => {
      const results = getSessions(2);
      answerSessionsWith401(2);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await jest.advanceTimersByTimeAsync(999);
      t.httpMock.expectNone(REFRESH_URL);
      await jest.advanceTimersByTimeAsync(1);
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await settle();

      expect(results.errors.map((e) => e.status)).toEqual([401, 401]);
      expect(t.messages).toEqual([AUTH_MESSAGES.lostConnection]);
      expect(t.navigations).toEqual(['/login?returnUrl=%2F']);
      t.httpMock.expectNone(SESSIONS_URL);
    });

    it('recovers when the one network retry of the refresh succeeds', async () => {
      const results = getSessions(1);
      answerSessionsWith401(1);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await jest.advanceTimersByTimeAsync(1000);
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      t.httpMock.expectOne(SESSIONS_URL).flush(['ok']);
      expect(results.values).toEqual([['ok']]);
      expect(t.messages).toEqual([]);
    });

    it('shows progress only when a refresh takes longer than a second', async () => {
      getSessions(1);
      answerSessionsWith401(1);
      await jest.advanceTimersByTimeAsync(999);
      expect(t.store.isRefreshingSlowly()).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(t.store.isRefreshingSlowly()).toBe(true);
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      expect(t.store.isRefreshingSlowly()).toBe(false);
      t.httpMock.expectOne(SESSIONS_URL).flush([]);
    });

    it('skips its own refresh when another tab refreshed while it waited for the lock', async () => {
      const otherTabExpiry = now() + 45 * 60_000;
      t.locks.beforeNextGrant = () => {
        jest.setSystemTime(now() + 200); // the other tab's refresh took a while
        t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: otherTabExpiry, at: now() }));
      };
      const results = getSessions(1);
      answerSessionsWith401(1);
      await settle();

      t.httpMock.expectNone(REFRESH_URL);
      t.httpMock.expectOne(SESSIONS_URL).flush(['fresh']);
      expect(results.values).toEqual([['fresh']]);
      expect(t.store.expiresAtMs()).toBe(otherTabExpiry);
    });

    it('still refreshes when the other tab refreshed before the request was sent', async () => {
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: now() + 45 * 60_000, at: now() - 1 }));
      getSessions(1);
      answerSessionsWith401(1);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      expect(t.store.status()).toBe('anonymous');
    });

    it('tells the other tabs the new expiry, never a token', async () => {
      const otherTab = t.hub.open();
      const heard: unknown[] = [];
      otherTab.addEventListener('message', (event) => heard.push(event.data));
      getSessions(1);
      answerSessionsWith401(1);
      await settle();
      const expiry = now() + 60 * 60_000;
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(expiry));
      await settle();
      t.httpMock.expectOne(SESSIONS_URL).flush([]);

      expect(heard).toEqual([{ type: 'session', user: ALICE, expiresAt: expiry, at: now() }]);
      expect(JSON.parse(t.storage.getItem(REFRESH_RECORD_KEY) ?? '{}')).toEqual({ expiresAt: expiry, at: now() });
    });
  });

  describe('with a custom onAuthFail', () => {
    it('calls it once, in an injection context, with the return URL', async () => {
      const calls: { returnUrl: string; router: Router }[] = [];
      t = setUpAuthTestBed({
        config: { onAuthFail: ({ returnUrl }) => calls.push({ returnUrl, router: TestBed.inject(Router) }) },
      });
      t.store.setSession(ALICE, now() + 60_000);
      getSessions(4);
      answerSessionsWith401(4);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      expect(calls).toHaveLength(1);
      expect(calls[0].returnUrl).toBe('/');
      expect(t.messages).toEqual([]);
      expect(t.navigations).toEqual([]);
    });
  });

  describe('without Web Locks', () => {
    it('still shares one refresh among the callers of this tab', async () => {
      t = setUpAuthTestBed({ withLocks: false });
      t.store.setSession(ALICE, now() + 60_000);
      const results = getSessions(5);
      answerSessionsWith401(5);
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      t.httpMock.match(SESSIONS_URL).forEach((retry) => retry.flush([]));
      expect(results.values).toHaveLength(5);
      expect(t.locks.requested).toEqual([]);
    });
  });
});

describe('apiRelativePath', () => {
  const base = 'http://localhost:3000/';
  it.each([
    ['/api/v1/auth/me', 'auth/me'],
    ['api/v1/auth/login?x=1', 'auth/login'],
    ['http://localhost:3000/api/v1/auth/logout/', 'auth/logout'],
    ['/api/v2/auth/me', null],
    ['/api/v10/auth/me', null],
    ['https://evil.example/api/v1/auth/me', null],
  ])('%s → %s', (url, expected) => {
    expect(apiRelativePath(url, '/api/v1', base)).toBe(expected);
  });
});
