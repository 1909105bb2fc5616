import { TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { AuthService } from './auth.service';
import { PENDING_LOGOUT_KEY } from './pending-logout';
import { ALICE, API, setUpAuthTestBed } from './testing/auth-test-bed';

const settle = () => new Promise((resolve) => setTimeout(resolve));
const NO_CONTENT = { status: 204, statusText: 'No Content' };
const offline = () => new ProgressEvent('error');
const LOGOUT = `${API}/auth/logout`;

describe('signing out while offline', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  let auth: AuthService;
  let heard: unknown[];

  function start(storedItems: Record<string, string> = {}) {
    t = setUpAuthTestBed({ storedItems });
    auth = TestBed.inject(AuthService);
    heard = [];
    t.hub.open().addEventListener('message', (event) => heard.push(event.data));
  }

  afterEach(() => t.httpMock.verify());

  async function signOutOffline() {
    t.store.setSession(ALICE, Date.now() + 60_000);
    const outcome: string[] = [];
    auth.logout().subscribe({ complete: () => outcome.push('done'), error: () => outcome.push('error') });
    t.httpMock.expectOne(LOGOUT).error(offline());
    await settle();
    return outcome;
  }

  it('signs out: this tab and every other forget the user at once, and the logout is kept to send', async () => {
    start();
    expect(await signOutOffline()).toEqual(['done']);
    expect(t.store.status()).toBe('anonymous');
    expect(heard).toContainEqual(expect.objectContaining({ type: 'signed-out' }));
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).not.toBeNull();
  });

  it('sends the logout as soon as the network is back', async () => {
    start();
    await signOutOffline();
    window.dispatchEvent(new Event('online'));
    t.httpMock.expectOne(LOGOUT).flush(null, NO_CONTENT);
    await settle();
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
  });

  it('sends it before any other API request, and that request only after it went through', async () => {
    start();
    await signOutOffline();
    const answers: unknown[] = [];
    auth.sessions().subscribe({ next: (v) => answers.push(v), error: (e: HttpErrorResponse) => answers.push(e.status) });
    t.httpMock.expectNone(`${API}/auth/sessions`);
    t.httpMock.expectOne(LOGOUT).flush(null, NO_CONTENT);
    await settle();
    t.httpMock.expectOne(`${API}/auth/sessions`).flush(null, { status: 401, statusText: 'Unauthorized' });
    await settle();
    // The 401 of a signed-out browser: the refresh it tries is refused too.
    t.httpMock.match(`${API}/auth/refresh`).forEach((r) => r.flush(null, { status: 401, statusText: 'Unauthorized' }));
    await settle();
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
  });

  it('while the network is still away, other API requests fail instead of going out before it', async () => {
    start();
    await signOutOffline();
    const errors: number[] = [];
    auth.sessions().subscribe({ error: (e: HttpErrorResponse) => errors.push(e.status) });
    t.httpMock.expectOne(LOGOUT).error(offline());
    await settle();
    t.httpMock.expectNone(`${API}/auth/sessions`);
    expect(errors).toEqual([0]);
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).not.toBeNull();
  });

  it('after the browser was closed and reopened: sends it at start, and shows nobody signed in meanwhile', async () => {
    start({ [PENDING_LOGOUT_KEY]: String(Date.now() - 3_600_000) });
    const restored: boolean[] = [];
    auth.restoreSession().subscribe((r) => restored.push(r));
    t.httpMock.expectNone(`${API}/auth/me`);
    const logouts = t.httpMock.match(LOGOUT);
    expect(logouts).toHaveLength(1);
    logouts[0].flush(null, NO_CONTENT);
    await settle();
    expect(restored).toEqual([false]);
    expect(t.store.status()).toBe('anonymous');
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
  });

  it('a reload still offline shows nobody signed in, and asks the API nothing but the logout', async () => {
    start({ [PENDING_LOGOUT_KEY]: String(Date.now()) });
    const restored: boolean[] = [];
    auth.restoreSession().subscribe((r) => restored.push(r));
    t.httpMock.expectOne(LOGOUT).error(offline());
    await settle();
    t.httpMock.expectNone(`${API}/auth/me`);
    expect(restored).toEqual([false]);
    expect(t.store.status()).toBe('anonymous');
  });

  it('a 401 to the kept logout counts as done: the session had ended anyway', async () => {
    start({ [PENDING_LOGOUT_KEY]: String(Date.now()) });
    auth.restoreSession().subscribe();
    t.httpMock.expectOne(LOGOUT).flush(null, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(t.storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
  });
});
