import { TestBed } from '@angular/core/testing';
import { ALICE, REFRESH_URL, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

describe('ProactiveRefresh', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  const lead = 60_000;
  let isHidden = false;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    jest.setSystemTime(new Date('2030-01-01T10:00:00Z'));
    jest.spyOn(Math, 'random').mockReturnValue(0); // no jitter: deterministic timing
    isHidden = false;
    jest.spyOn(document, 'hidden', 'get').mockImplementation(() => isHidden);
    t = setUpAuthTestBed({ config: { proactiveRefreshLeadMs: lead } });
    t.store.setSession(ALICE, Date.now() + 5 * 60_000);
    TestBed.tick(); // run the scheduling effect
  });

  afterEach(() => {
    t.httpMock.verify();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('refreshes the lead time before expiry, then schedules the next one', async () => {
    await jest.advanceTimersByTimeAsync(4 * 60_000 - 1);
    t.httpMock.expectNone(REFRESH_URL);
    await jest.advanceTimersByTimeAsync(1);
    const nextExpiry = Date.now() + 30 * 60_000;
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(nextExpiry));
    TestBed.tick();
    expect(t.store.expiresAtMs()).toBe(nextExpiry);

    await jest.advanceTimersByTimeAsync(29 * 60_000);
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(Date.now() + 30 * 60_000));
  });

  it('waits while the page is hidden', async () => {
    isHidden = true;
    await jest.advanceTimersByTimeAsync(4 * 60_000);
    t.httpMock.expectNone(REFRESH_URL);

    isHidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(0);
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(Date.now() + 30 * 60_000));
  });

  it('waits while offline', async () => {
    const onLine = jest.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await jest.advanceTimersByTimeAsync(4 * 60_000);
    t.httpMock.expectNone(REFRESH_URL);

    onLine.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await jest.advanceTimersByTimeAsync(0);
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(Date.now() + 30 * 60_000));
  });

  it('keeps to a share of a short token life instead of refreshing in a loop', async () => {
    t.store.setSession(ALICE, Date.now() + 3000); // a 3 s token, far shorter than the lead
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(2249);
    t.httpMock.expectNone(REFRESH_URL);
    await jest.advanceTimersByTimeAsync(1);
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(Date.now() + 3000));
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(100);
    t.httpMock.expectNone(REFRESH_URL);
    await jest.advanceTimersByTimeAsync(2150);
    t.httpMock.expectOne(REFRESH_URL).flush(authResponse(Date.now() + 3000));
  });

  it('stops after sign-out', async () => {
    t.store.markAnonymous();
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    t.httpMock.expectNone(REFRESH_URL);
  });
});
