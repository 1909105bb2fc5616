import { TestBed } from '@angular/core/testing';
import { AuthService } from './auth.service';
import { KNOWN_USER_KEY } from './known-user';
import { ALICE, API, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const settle = () => new Promise((resolve) => setTimeout(resolve));
const offline = () => new ProgressEvent('error');
const ME = `${API}/auth/me`;

describe('a signed-in browser reloaded offline', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  let auth: AuthService;

  function start(storedItems: Record<string, string> = {}) {
    t = setUpAuthTestBed({ storedItems });
    auth = TestBed.inject(AuthService);
  }

  afterEach(() => t.httpMock.verify());

  it('remembers the profile (no token) of whoever signed in, and forgets it at sign-out', async () => {
    start();
    auth.login({ email: ALICE.email, password: 'long enough' }).subscribe();
    t.httpMock.expectOne(`${API}/auth/login`).flush(authResponse(Date.now() + 60_000));
    await settle();
    const stored = t.storage.getItem(KNOWN_USER_KEY) ?? '';
    expect(JSON.parse(stored)).toEqual(ALICE);
    expect(stored).not.toMatch(/token|expires/i);
    auth.logout().subscribe();
    t.httpMock.expectOne(`${API}/auth/logout`).flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(t.storage.getItem(KNOWN_USER_KEY)).toBeNull();
  });

  it('keeps showing the last known user, marked stale, so readable pages stay readable', async () => {
    start({ [KNOWN_USER_KEY]: JSON.stringify(ALICE) });
    const restored: boolean[] = [];
    auth.restoreSession().subscribe((r) => restored.push(r));
    t.httpMock.expectOne(ME).error(offline());
    await settle();
    expect(restored).toEqual([true]);
    expect(t.store.user()).toEqual(ALICE);
    expect(t.store.isStale()).toBe(true);
  });

  it('checks with the API again when the network is back', async () => {
    start({ [KNOWN_USER_KEY]: JSON.stringify(ALICE) });
    auth.restoreSession().subscribe();
    t.httpMock.expectOne(ME).error(offline());
    await settle();
    window.dispatchEvent(new Event('online'));
    t.httpMock.expectOne(ME).flush(authResponse(Date.now() + 60_000));
    await settle();
    expect(t.store.isStale()).toBe(false);
    expect(t.store.expiresAtMs()).not.toBeNull();
  });

  it('a browser signed in to by an earlier version (only its refresh record kept) stays signed out offline without a profile', async () => {
    start({ 'latchkey:auth:last-refresh': JSON.stringify({ expiresAt: Date.now(), at: Date.now() }) });
    const restored: boolean[] = [];
    auth.restoreSession().subscribe((r) => restored.push(r));
    t.httpMock.expectOne(ME).error(offline());
    await settle();
    expect(restored).toEqual([false]);
    expect(t.store.user()).toBeNull();
  });
});
