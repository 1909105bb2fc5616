import { TestBed } from '@angular/core/testing';
import { AuthService } from './auth.service';
import { REFRESH_RECORD_KEY } from './tab-sync';
import { ALICE, API, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const flushMessages = () => new Promise((resolve) => setTimeout(resolve));

describe('TabSync', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;

  beforeEach(() => {
    t = setUpAuthTestBed({
      cacheNames: ['ngsw:/:1:data:api:cache', 'ngsw:/:db:1:data:api:lru', 'ngsw:/:1:assets:app:cache', 'other'],
    });
    t.store.setSession(ALICE, Date.now() + 60_000);
  });

  afterEach(() => t.httpMock.verify());

  it('signs this tab out and goes to login when another tab logs out', async () => {
    const otherTab = t.hub.open();
    otherTab.postMessage({ type: 'signed-out' });
    await flushMessages();
    expect(t.store.status()).toBe('anonymous');
    expect(t.store.user()).toBeNull();
    expect(t.navigations).toEqual(['/login']);
    // So the login page can say why.
    expect(t.store.signOutReason()).toBe('other-tab');
  });

  it('adopts a session another tab signed in or refreshed', async () => {
    const expiresAt = Date.now() + 3_600_000;
    const bob = { ...ALICE, id: 'u2', email: 'bob@example.com' };
    t.hub.open().postMessage({ type: 'session', user: bob, expiresAt, at: Date.now() });
    await flushMessages();
    expect(t.store.user()).toEqual(bob);
    expect(t.store.expiresAtMs()).toBe(expiresAt);
  });

  it("adopts another tab's change to the user (a new name, a verified email), only for the user signed in here", async () => {
    const renamed = { ...ALICE, name: 'Alice Liddell' };
    t.hub.open().postMessage({ type: 'user', user: { ...renamed, id: 'someone-else' } });
    t.hub.open().postMessage({ type: 'user', user: null });
    await flushMessages();
    expect(t.store.user()).toEqual(ALICE);
    const expiresAt = t.store.expiresAtMs();
    t.hub.open().postMessage({ type: 'user', user: renamed });
    await flushMessages();
    expect(t.store.user()).toEqual(renamed);
    expect(t.store.expiresAtMs()).toBe(expiresAt);
  });

  it('ignores malformed messages', async () => {
    t.hub.open().postMessage({ type: 'session', user: null, expiresAt: 'soon' });
    t.hub.open().postMessage('signed-out');
    await flushMessages();
    expect(t.store.user()).toEqual(ALICE);
  });

  it('logout here signs out the other tabs and clears the service worker data caches', async () => {
    const otherTab = t.hub.open();
    const heard: unknown[] = [];
    otherTab.addEventListener('message', (event) => heard.push(event.data));
    t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: 1, at: 1 }));

    let isDone = false;
    TestBed.inject(AuthService).logout().subscribe(() => (isDone = true));
    const request = t.httpMock.expectOne(`${API}/auth/logout`);
    expect(request.request.method).toBe('POST');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await flushMessages();

    expect(isDone).toBe(true);
    expect(t.store.status()).toBe('anonymous');
    expect(t.store.signOutReason()).toBe('signed-out');
    expect(heard).toEqual([{ type: 'signed-out' }]);
    expect(t.storage.getItem(REFRESH_RECORD_KEY)).toBeNull();
    expect(t.caches.names).toEqual(['ngsw:/:1:assets:app:cache', 'other']);
  });

  it('logout signs out locally even when the call fails on the network (and keeps it to send: pending-logout.spec)', async () => {
    const outcome: string[] = [];
    TestBed.inject(AuthService).logout().subscribe({ complete: () => outcome.push('done'), error: () => outcome.push('error') });
    t.httpMock.expectOne(`${API}/auth/logout`).error(new ProgressEvent('error'));
    expect(outcome).toEqual(['done']);
    expect(t.store.status()).toBe('anonymous');
  });

  it('logoutAll offline fails (other devices stay signed in) but signs this browser out', async () => {
    const outcome: string[] = [];
    TestBed.inject(AuthService).logoutAll().subscribe({ complete: () => outcome.push('done'), error: () => outcome.push('error') });
    t.httpMock.expectOne(`${API}/auth/logout-all`).error(new ProgressEvent('error'));
    expect(outcome).toEqual(['error']);
    expect(t.store.status()).toBe('anonymous');
  });

  it('login here signs the other tabs in', async () => {
    const heard: unknown[] = [];
    t.hub.open().addEventListener('message', (event) => heard.push(event.data));
    const expiresAt = Date.now() + 1_800_000;
    TestBed.inject(AuthService).login({ email: ALICE.email, password: 'correct horse' }).subscribe();
    t.httpMock.expectOne(`${API}/auth/login`).flush(authResponse(expiresAt));
    await flushMessages();
    expect(heard).toEqual([expect.objectContaining({ type: 'session', user: ALICE, expiresAt })]);
  });
});
