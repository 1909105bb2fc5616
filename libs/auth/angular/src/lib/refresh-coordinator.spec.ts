import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { AUTH_MESSAGES } from './auth-messenger';
import { LockManagerLike, WEB_LOCKS } from './browser-apis';
import { FailureNotice, REFRESH_LOCK_NAME, RefreshCoordinator, RefreshOutcome, RequestSnapshot, isNetworkFailure } from './refresh-coordinator';
import { HttpErrorResponse } from '@angular/common/http';
import { REFRESH_RECORD_KEY } from './tab-sync';
import { ALICE, REFRESH_URL, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const UNAUTHORIZED = { status: 401, statusText: 'Unauthorized' };
const unauthorizedBody = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };
const BACKOFF_MS = 1000;

/** Lets promise callbacks (Web Locks, channel delivery) run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);
const now = () => Date.now();

describe('RefreshCoordinator', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  let coordinator: RefreshCoordinator;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    jest.setSystemTime(new Date('2030-01-01T10:00:00Z'));
  });

  afterEach(() => {
    t.httpMock.verify();
    jest.useRealTimers();
  });

  function setUp(withLocks: boolean) {
    t = setUpAuthTestBed({ withLocks, config: { refreshBackoffMs: BACKOFF_MS, onAuthFail: undefined } });
    t.store.setSession(ALICE, now() + 30 * 60_000);
    coordinator = TestBed.inject(RefreshCoordinator);
  }

  /** A caller whose request got a 401: the outcomes it hears. */
  function refresh(notice: FailureNotice = 'rejection-only', sent: RequestSnapshot = coordinator.snapshot()): RefreshOutcome[] {
    const outcomes: RefreshOutcome[] = [];
    coordinator.refreshAfterUnauthorized(sent, notice).subscribe((outcome) => outcomes.push(outcome));
    return outcomes;
  }

  describe.each([
    { mode: 'with Web Locks', withLocks: true },
    { mode: 'without Web Locks (navigator.locks absent)', withLocks: false },
  ])('$mode', ({ withLocks }) => {
    beforeEach(() => setUp(withLocks));

    it('shares one refresh among every caller of this tab, and adopts the new session', async () => {
      const all = [refresh(), refresh(), refresh('all'), refresh('connection-message-only')];
      await settle();
      const expiry = now() + 60 * 60_000;
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(expiry));
      await settle();
      expect(all).toEqual([['refreshed'], ['refreshed'], ['refreshed'], ['refreshed']]);
      expect(t.store.expiresAtMs()).toBe(expiry);
      expect(JSON.parse(t.storage.getItem(REFRESH_RECORD_KEY) ?? 'null')).toEqual({ expiresAt: expiry, at: now() });
    });

    it('reuses a refresh that settled after the request was sent, instead of refreshing again', async () => {
      const sentEarlier = coordinator.snapshot();
      refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      expect(refresh('rejection-only', sentEarlier)).toEqual(['refreshed']);
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      // A request sent after that refresh that still gets a 401 needs a new one.
      refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
    });

    it('skips the call when another tab refreshed after the request was sent', async () => {
      const sent = coordinator.snapshot();
      jest.setSystemTime(now() + 50);
      const otherTabExpiry = now() + 45 * 60_000;
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: otherTabExpiry, at: now() }));
      const outcomes = refresh('rejection-only', sent);
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      expect(outcomes).toEqual(['refreshed']);
      expect(t.store.expiresAtMs()).toBe(otherTabExpiry);
    });

    it('still calls refresh when the other tab’s refresh is older than the request, or already expired', async () => {
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: now() + 45 * 60_000, at: now() - 1 }));
      refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();

      const sent = coordinator.snapshot();
      jest.setSystemTime(now() + 50);
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: now() - 1, at: now() }));
      refresh('rejection-only', sent);
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
    });

    it('401 from refresh: rejected, and this tab is signed out', async () => {
      const outcomes = refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      expect(outcomes).toEqual(['rejected']);
      expect(t.store.status()).toBe('anonymous');
      // Revoked from another device, or ended: the login page says so.
      expect(t.store.signOutReason()).toBe('session-ended');
      t.store.setSession(ALICE, now() + 60_000);
      expect(t.store.signOutReason()).toBeNull();
    });

    it('a network failure is retried once after the backoff; two make it offline, and the session is kept', async () => {
      const outcomes = refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await jest.advanceTimersByTimeAsync(BACKOFF_MS - 1);
      t.httpMock.expectNone(REFRESH_URL);
      await jest.advanceTimersByTimeAsync(1);
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      await settle();
      expect(outcomes).toEqual(['offline']);
      expect(t.store.status()).toBe('authenticated');
    });

    it('a server error is failed, not a sign-out, and is not retried', async () => {
      const outcomes = refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush({}, { status: 503, statusText: 'Service Unavailable' });
      await jest.advanceTimersByTimeAsync(BACKOFF_MS);
      t.httpMock.expectNone(REFRESH_URL);
      expect(outcomes).toEqual(['failed']);
      expect(t.store.status()).toBe('authenticated');
      expect(t.messages).toEqual([]);
    });

    it('an answer without a readable expiry is failed and changes nothing', async () => {
      const before = t.store.expiresAtMs();
      const outcomes = refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush({ user: ALICE, accessTokenExpiresAt: 'soon' });
      await settle();
      expect(outcomes).toEqual(['failed']);
      expect(t.store.expiresAtMs()).toBe(before);
      expect(t.storage.getItem(REFRESH_RECORD_KEY)).toBeNull();
    });
  });

  describe('with Web Locks', () => {
    beforeEach(() => setUp(true));

    /** Another tab taking the refresh lock; it holds it until `release` is called. */
    function otherTabHoldsTheLock() {
      let release = () => undefined as void;
      void t.locks.request(REFRESH_LOCK_NAME, () => new Promise<void>((resolve) => (release = resolve)));
      return () => release();
    }

    /** Whether another tab could take the lock now. */
    async function lockIsFree(): Promise<boolean> {
      let granted = false;
      void t.locks.request(REFRESH_LOCK_NAME, async () => {
        granted = true;
      });
      await settle();
      return granted;
    }

    it('refreshes only while holding the lock named latchkey-refresh', async () => {
      const release = otherTabHoldsTheLock();
      const outcomes = refresh();
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      expect(t.locks.requested).toEqual([REFRESH_LOCK_NAME, REFRESH_LOCK_NAME]);

      release();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      expect(outcomes).toEqual(['refreshed']);
    });

    it('after waiting for a tab that refreshed meanwhile, uses its result instead of refreshing again', async () => {
      const release = otherTabHoldsTheLock();
      const outcomes = refresh();
      await settle();
      jest.setSystemTime(now() + 300); // the other tab's refresh took a while
      const otherTabExpiry = now() + 45 * 60_000;
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: otherTabExpiry, at: now() }));
      release();
      await settle();
      t.httpMock.expectNone(REFRESH_URL);
      expect(outcomes).toEqual(['refreshed']);
      expect(t.store.expiresAtMs()).toBe(otherTabExpiry);
    });

    it('holds the lock through the network retry, and gives it back whatever the outcome', async () => {
      refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      expect(await lockIsFree()).toBe(false);
      await jest.advanceTimersByTimeAsync(BACKOFF_MS);
      t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      await settle();
      // The waiting request above got the lock once the refresh was over; the lock is free again.
      expect(await lockIsFree()).toBe(true);
    });

    it.each([
      ['refreshed', (flush: ReturnType<typeof t.httpMock.expectOne>) => flush.flush(authResponse(now() + 60 * 60_000))],
      ['rejected', (flush: ReturnType<typeof t.httpMock.expectOne>) => flush.flush(unauthorizedBody, UNAUTHORIZED)],
      ['failed', (flush: ReturnType<typeof t.httpMock.expectOne>) => flush.flush({}, { status: 500, statusText: 'Server Error' })],
    ])('releases the lock after a %s refresh, so other tabs are never blocked', async (expected, answer) => {
      const outcomes = refresh();
      await settle();
      answer(t.httpMock.expectOne(REFRESH_URL));
      await settle();
      expect(outcomes).toEqual([expected]);
      expect(await lockIsFree()).toBe(true);
    });

    it('when the lock cannot be had at all, refreshes anyway, once, in this tab', async () => {
      const request = jest.spyOn(t.locks, 'request').mockImplementation(() => Promise.reject(new DOMException('no locks here', 'SecurityError')));
      const outcomes = [refresh(), refresh()];
      await settle();
      expect(request).toHaveBeenCalledTimes(1);
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      expect(outcomes).toEqual([['refreshed'], ['refreshed']]);
    });

    it('a lock that fails after it was granted does not start a second refresh', async () => {
      jest.spyOn(t.locks, 'request').mockImplementation(async (_name, callback) => {
        void callback();
        throw new DOMException('lock lost', 'AbortError');
      });
      const outcomes = refresh();
      await settle();
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      await settle();
      expect(outcomes).toEqual(['refreshed']);
    });
  });

  describe('without Web Locks', () => {
    beforeEach(() => setUp(false));

    it('calls refresh at once, with no lock to wait for', () => {
      const outcomes = refresh();
      // Synchronously: no promise in between.
      t.httpMock.expectOne(REFRESH_URL).flush(authResponse(now() + 60 * 60_000));
      expect(outcomes).toEqual(['refreshed']);
      expect(t.locks.requested).toEqual([]);
    });
  });

  describe('who hears about a failed refresh', () => {
    beforeEach(() => {
      setUp(true);
      jest.spyOn(TestBed.inject(Router), 'url', 'get').mockReturnValue('/account');
    });

    async function failWith(answer: 'rejected' | 'offline', notices: FailureNotice[]) {
      for (const notice of notices) refresh(notice);
      await settle();
      if (answer === 'rejected') {
        t.httpMock.expectOne(REFRESH_URL).flush(unauthorizedBody, UNAUTHORIZED);
      } else {
        t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
        await jest.advanceTimersByTimeAsync(BACKOFF_MS);
        t.httpMock.expectOne(REFRESH_URL).error(new ProgressEvent('error'));
      }
      await settle();
    }

    it('a session that ended: told once, then to login with the way back, however many callers waited', async () => {
      await failWith('rejected', ['all', 'all', 'rejection-only']);
      expect(t.messages).toEqual([AUTH_MESSAGES.sessionEnded]);
      expect(t.navigations).toEqual(['/login?returnUrl=%2Faccount']);
    });

    it('the background timer alone: a session that ended is reported, a lost connection is not', async () => {
      await failWith('offline', ['rejection-only']);
      expect(t.messages).toEqual([]);
      expect(t.navigations).toEqual([]);
      await failWith('rejected', ['rejection-only']);
      expect(t.messages).toEqual([AUTH_MESSAGES.sessionEnded]);
    });

    it('the route guard: only the lost-connection message, no navigation; a 401 says nothing', async () => {
      await failWith('offline', ['connection-message-only']);
      expect(t.messages).toEqual([AUTH_MESSAGES.lostConnection]);
      expect(t.navigations).toEqual([]);
      await failWith('rejected', ['connection-message-only']);
      expect(t.messages).toEqual([AUTH_MESSAGES.lostConnection]);
      expect(t.navigations).toEqual([]);
    });

    it('someone already signed out hears no "session ended"', async () => {
      t.store.markAnonymous();
      await failWith('rejected', ['all']);
      expect(t.messages).toEqual([]);
      expect(t.navigations).toEqual([]);
    });
  });
});

describe('WEB_LOCKS in a browser', () => {
  afterEach(() => {
    delete (navigator as { locks?: unknown }).locks;
  });

  it('is null where navigator.locks is absent (jsdom, older browsers, some webviews)', () => {
    expect('locks' in navigator).toBe(false);
    expect(TestBed.inject(WEB_LOCKS)).toBeNull();
  });

  it('is navigator.locks where the browser has it', () => {
    const locks: LockManagerLike = { request: (_name, callback) => callback() };
    Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
    expect(TestBed.inject(WEB_LOCKS)).toBe(locks);
  });
});

describe('isNetworkFailure', () => {
  it('counts no response (status 0) and the service worker’s stand-in for one (504 Gateway Timeout, no body) as the network', () => {
    expect(isNetworkFailure(new HttpErrorResponse({ status: 0 }))).toBe(true);
    // What @angular/service-worker answers when its fetch fails (offline): the API never saw the request.
    expect(isNetworkFailure(new HttpErrorResponse({ status: 504, statusText: 'Gateway Timeout', error: null }))).toBe(true);
  });

  it('leaves the API’s own answers to the API', () => {
    expect(isNetworkFailure(new HttpErrorResponse({ status: 401, statusText: 'Unauthorized' }))).toBe(false);
    expect(isNetworkFailure(new HttpErrorResponse({ status: 503, statusText: 'Service Unavailable', error: { statusCode: 503 } }))).toBe(false);
    expect(isNetworkFailure(new HttpErrorResponse({ status: 504, statusText: 'Gateway Timeout', error: { statusCode: 504, message: 'upstream', error: 'Gateway Timeout' } }))).toBe(false);
  });
});
