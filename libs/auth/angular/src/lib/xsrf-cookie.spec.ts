import { HttpErrorResponse } from '@angular/common/http';
import { AuthPaths, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { ALICE, API, REFRESH_URL, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';
import { setXsrfCookie } from './testing/browser-fakes';

const LOGIN_URL = `${API}/${AuthPaths.login}`;
const PROVIDERS_URL = `${API}/${AuthPaths.providers}`;
const SESSIONS_URL = `${API}/${AuthPaths.sessions}`;
const FRESH_TOKEN = 'fresh-from-the-api';
const credentials = { email: ALICE.email, password: 'correct horse battery staple' };

/** Lets promise callbacks (Web Locks) run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('the XSRF cookie before the first mutating request', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;

  /** Answers the priming GET as the API does: every API response hands out the cookie. */
  function answerPrimingRequest() {
    const priming = t.httpMock.expectOne(PROVIDERS_URL);
    expect(priming.request.method).toBe('GET');
    expect(priming.request.headers.get('ngsw-bypass')).toBe('true'); // a cached answer sets no cookie
    setXsrfCookie(FRESH_TOKEN);
    priming.flush({ password: true, google: false });
  }

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    jest.setSystemTime(new Date('2030-01-01T10:00:00Z'));
  });

  afterEach(() => {
    t.httpMock.verify();
    jest.useRealTimers();
  });

  describe('in a fresh browser (no XSRF-TOKEN cookie)', () => {
    beforeEach(() => {
      t = setUpAuthTestBed({ xsrfCookie: null });
    });

    it('a first sign-in GETs the API first, then posts with the X-XSRF-TOKEN header', () => {
      const signedIn: unknown[] = [];
      t.http.post(LOGIN_URL, credentials).subscribe((body) => signedIn.push(body));

      t.httpMock.expectNone(LOGIN_URL);
      answerPrimingRequest();

      const login = t.httpMock.expectOne(LOGIN_URL);
      expect(login.request.method).toBe('POST');
      expect(login.request.body).toEqual(credentials);
      expect(login.request.headers.get(XSRF_HEADER_NAME)).toBe(FRESH_TOKEN);
      expect(login.request.withCredentials).toBe(true);
      login.flush(authResponse(Date.now() + 60_000));
      expect(signedIn).toHaveLength(1);
    });

    it('concurrent first requests wait on one priming request', () => {
      t.http.post(LOGIN_URL, credentials).subscribe();
      t.http.put(`${API}/things/1`, {}).subscribe();
      t.http.patch(`${API}/${AuthPaths.me}`, { name: 'A' }).subscribe();
      t.http.delete(`${SESSIONS_URL}/s1`).subscribe();

      answerPrimingRequest(); // expectOne: exactly one GET
      const sent = t.httpMock.match((request) => request.method !== 'GET');
      expect(sent.map((request) => request.request.method)).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
      for (const request of sent) {
        expect(request.request.headers.get(XSRF_HEADER_NAME)).toBe(FRESH_TOKEN);
        request.flush(null);
      }
    });

    it('a GET is sent as it is: it brings the cookie itself', () => {
      t.http.get(`${API}/${AuthPaths.me}`).subscribe();
      t.httpMock.expectOne(`${API}/${AuthPaths.me}`).flush(authResponse(Date.now() + 60_000));
      t.httpMock.expectNone(PROVIDERS_URL);
    });

    it('leaves requests to other origins alone', () => {
      t.http.post('https://example.org/api/v1/auth/login', {}).subscribe();
      const elsewhere = t.httpMock.expectOne('https://example.org/api/v1/auth/login');
      expect(elsewhere.request.headers.has(XSRF_HEADER_NAME)).toBe(false);
      elsewhere.flush(null);
      t.httpMock.expectNone(PROVIDERS_URL);
    });

    it('when the priming request fails on the network, sends the request anyway and lets its answer through', () => {
      const errors: number[] = [];
      t.http.post(LOGIN_URL, credentials).subscribe({ error: (e: HttpErrorResponse) => errors.push(e.status) });
      t.httpMock.expectOne(PROVIDERS_URL).error(new ProgressEvent('error'));

      const login = t.httpMock.expectOne(LOGIN_URL);
      expect(login.request.headers.has(XSRF_HEADER_NAME)).toBe(false);
      login.error(new ProgressEvent('error'));
      expect(errors).toEqual([0]);
    });

    it('a request retried after a refresh carries the header too', async () => {
      t.store.setSession(ALICE, Date.now() + 60_000); // the browser restarted: refresh cookie kept, XSRF cookie gone
      t.http.delete(`${SESSIONS_URL}/s1`).subscribe();
      answerPrimingRequest();
      t.httpMock
        .expectOne(`${SESSIONS_URL}/s1`)
        .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
      await settle();

      const refresh = t.httpMock.expectOne(REFRESH_URL);
      expect(refresh.request.headers.get(XSRF_HEADER_NAME)).toBe(FRESH_TOKEN);
      refresh.flush(authResponse(Date.now() + 60 * 60_000));
      await settle();

      const retry = t.httpMock.expectOne(`${SESSIONS_URL}/s1`);
      expect(retry.request.headers.get(XSRF_HEADER_NAME)).toBe(FRESH_TOKEN);
      retry.flush(null);
      t.httpMock.expectNone(PROVIDERS_URL);
    });
  });

  describe('with the cookie', () => {
    beforeEach(() => {
      t = setUpAuthTestBed({ xsrfCookie: 'already-here' });
    });

    it('posts at once, with the header', () => {
      t.http.post(LOGIN_URL, credentials).subscribe();
      t.httpMock.expectNone(PROVIDERS_URL);
      const login = t.httpMock.expectOne(LOGIN_URL);
      expect(login.request.headers.get(XSRF_HEADER_NAME)).toBe('already-here');
      login.flush(authResponse(Date.now() + 60_000));
    });

    it('primes again once the cookie is gone (cleared, or expired while the page stayed open)', () => {
      setXsrfCookie(null);
      t.http.post(LOGIN_URL, credentials).subscribe();
      answerPrimingRequest();
      expect(t.httpMock.expectOne(LOGIN_URL).request.headers.get(XSRF_HEADER_NAME)).toBe(FRESH_TOKEN);
    });
  });
});
