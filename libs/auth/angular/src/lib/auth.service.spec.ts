import { TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { User } from '@latchkey/auth-contract';
import { AuthService, RegisterOutcome } from './auth.service';
import { REFRESH_RECORD_KEY } from './tab-sync';
import { ALICE, API, authResponse, setUpAuthTestBed } from './testing/auth-test-bed';

const flushMessages = () => new Promise((resolve) => setTimeout(resolve));
const NO_CONTENT = { status: 204, statusText: 'No Content' };
const ACCEPTED = { status: 202, statusText: 'Accepted' };
const forbidden = (message: string) => ({
  body: { statusCode: 403, message, error: 'Forbidden' },
  init: { status: 403, statusText: 'Forbidden' },
});
const UNVERIFIED: User = { ...ALICE, emailVerified: false };

describe('AuthService', () => {
  let t: ReturnType<typeof setUpAuthTestBed>;
  let auth: AuthService;
  /** What another tab of this browser hears. */
  let heard: unknown[];

  beforeEach(() => {
    t = setUpAuthTestBed({ cacheNames: ['ngsw:/:1:data:api:cache', 'ngsw:/:1:assets:app:cache'] });
    auth = TestBed.inject(AuthService);
    heard = [];
    t.hub.open().addEventListener('message', (event) => heard.push(event.data));
  });

  afterEach(() => t.httpMock.verify());

  const signIn = (user: User = ALICE) => t.store.setSession(user, Date.now() + 60_000);

  describe('register', () => {
    it('signs in when the API opened a session', async () => {
      const outcomes: RegisterOutcome[] = [];
      auth.register({ email: ALICE.email, password: 'long enough' }).subscribe((o) => outcomes.push(o));
      t.httpMock.expectOne(`${API}/auth/register`).flush(authResponse(Date.now() + 60_000), { status: 201, statusText: 'Created' });
      await flushMessages();
      expect(outcomes).toEqual([{ user: ALICE, verificationRequired: false }]);
      expect(t.store.user()).toEqual(ALICE);
      expect(heard).toEqual([expect.objectContaining({ type: 'session', user: ALICE })]);
    });

    it('signs nobody in when the email must be verified first', async () => {
      const outcomes: RegisterOutcome[] = [];
      auth.register({ email: ALICE.email, password: 'long enough' }).subscribe((o) => outcomes.push(o));
      t.httpMock
        .expectOne(`${API}/auth/register`)
        .flush({ user: UNVERIFIED, verificationRequired: true }, { status: 201, statusText: 'Created' });
      await flushMessages();
      expect(outcomes).toEqual([{ user: UNVERIFIED, verificationRequired: true }]);
      expect(t.store.status()).toBe('unknown');
      expect(t.store.user()).toBeNull();
      expect(heard).toEqual([]);
    });
  });

  describe('profile', () => {
    it('updateProfile PATCHes auth/me and shows the new name here and in the other tabs', async () => {
      signIn();
      const renamed = { ...ALICE, name: 'Alice Liddell' };
      const expiresAt = Date.now() + 90_000;
      const users: User[] = [];
      auth.updateProfile({ name: 'Alice Liddell' }).subscribe((u) => users.push(u));
      const request = t.httpMock.expectOne(`${API}/auth/me`);
      expect(request.request.method).toBe('PATCH');
      expect(request.request.body).toEqual({ name: 'Alice Liddell' });
      request.flush(authResponse(expiresAt, renamed));
      await flushMessages();
      expect(users).toEqual([renamed]);
      expect(t.store.user()).toEqual(renamed);
      expect(t.store.expiresAtMs()).toBe(expiresAt);
      expect(heard).toEqual([{ type: 'user', user: renamed }]);
    });
  });

  describe('deleteAccount', () => {
    it('sends the password in the DELETE body, then forgets the user in every tab', async () => {
      signIn();
      t.storage.setItem(REFRESH_RECORD_KEY, JSON.stringify({ expiresAt: 1, at: 1 }));
      let isDone = false;
      auth.deleteAccount({ password: 'correct horse' }).subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/me`);
      expect(request.request.method).toBe('DELETE');
      expect(request.request.body).toEqual({ password: 'correct horse' });
      request.flush(null, NO_CONTENT);
      await flushMessages();
      expect(isDone).toBe(true);
      expect(t.store.status()).toBe('anonymous');
      expect(heard).toEqual([{ type: 'signed-out' }]);
      expect(t.storage.getItem(REFRESH_RECORD_KEY)).toBeNull();
      expect(t.caches.names).toEqual(['ngsw:/:1:assets:app:cache']);
    });

    it('keeps the user signed in when the API refuses (re-authentication needed)', async () => {
      signIn({ ...ALICE, providers: ['google'] });
      const errors: HttpErrorResponse[] = [];
      auth.deleteAccount().subscribe({ error: (e) => errors.push(e) });
      const request = t.httpMock.expectOne(`${API}/auth/me`);
      expect(request.request.body).toEqual({});
      const { body, init } = forbidden('Please sign in again to delete your account');
      request.flush(body, init);
      await flushMessages();
      expect(errors.map((e) => e.status)).toEqual([403]);
      expect(t.store.status()).toBe('authenticated');
      expect(heard).toEqual([]);
    });
  });

  describe('passwords', () => {
    it('forgotPassword posts the email', () => {
      let isDone = false;
      auth.forgotPassword(ALICE.email).subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/password/forgot`);
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({ email: ALICE.email });
      request.flush(null, ACCEPTED);
      expect(isDone).toBe(true);
    });

    it('resetPassword leaves nobody signed in, in any tab', async () => {
      signIn();
      let isDone = false;
      auth.resetPassword({ token: 'tok', password: 'new password' }).subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/password/reset`);
      expect(request.request.body).toEqual({ token: 'tok', password: 'new password' });
      request.flush(null, NO_CONTENT);
      await flushMessages();
      expect(isDone).toBe(true);
      expect(t.store.status()).toBe('anonymous');
      expect(heard).toEqual([{ type: 'signed-out' }]);
    });

    it('a refused reset (bad link) changes nothing here', async () => {
      signIn();
      const errors: number[] = [];
      auth.resetPassword({ token: 'old', password: 'new password' }).subscribe({ error: (e) => errors.push(e.status) });
      t.httpMock
        .expectOne(`${API}/auth/password/reset`)
        .flush({ statusCode: 400, message: 'Invalid or expired link', error: 'Bad Request' }, { status: 400, statusText: 'Bad Request' });
      await flushMessages();
      expect(errors).toEqual([400]);
      expect(t.store.user()).toEqual(ALICE);
      expect(heard).toEqual([]);
    });

    it('changePassword keeps this session', async () => {
      signIn();
      let isDone = false;
      auth.changePassword({ currentPassword: 'old one!', newPassword: 'new one!!' }).subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/password/change`);
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({ currentPassword: 'old one!', newPassword: 'new one!!' });
      request.flush(null, NO_CONTENT);
      await flushMessages();
      expect(isDone).toBe(true);
      expect(t.store.user()).toEqual(ALICE);
      expect(heard).toEqual([]);
    });
  });

  describe('email', () => {
    it('requestEmailVerification posts to auth/email/verification', () => {
      let isDone = false;
      auth.requestEmailVerification().subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/email/verification`);
      expect(request.request.method).toBe('POST');
      request.flush(null, ACCEPTED);
      expect(isDone).toBe(true);
    });

    it('verifyEmail marks the signed-in user verified here and in the other tabs', async () => {
      signIn(UNVERIFIED);
      auth.verifyEmail('tok').subscribe();
      const request = t.httpMock.expectOne(`${API}/auth/email/verify`);
      expect(request.request.body).toEqual({ token: 'tok' });
      request.flush({ user: ALICE });
      await flushMessages();
      expect(t.store.user()?.emailVerified).toBe(true);
      expect(heard).toEqual([{ type: 'user', user: ALICE }]);
    });

    it('verifyEmail signs nobody in when the link was opened signed out', async () => {
      t.store.markAnonymous();
      const users: User[] = [];
      auth.verifyEmail('tok').subscribe((u) => users.push(u));
      t.httpMock.expectOne(`${API}/auth/email/verify`).flush({ user: ALICE });
      await flushMessages();
      expect(users).toEqual([ALICE]);
      expect(t.store.status()).toBe('anonymous');
      expect(heard).toEqual([]);
    });

    it('verifyEmail leaves another signed-in user alone', async () => {
      const bob = { ...ALICE, id: 'u2', email: 'bob@example.com' };
      signIn(bob);
      auth.verifyEmail('tok').subscribe();
      t.httpMock.expectOne(`${API}/auth/email/verify`).flush({ user: ALICE });
      await flushMessages();
      expect(t.store.user()).toEqual(bob);
      expect(heard).toEqual([]);
    });

    it('changeEmail posts the new address and the password; nothing changes until the link is used', () => {
      signIn();
      let isDone = false;
      auth.changeEmail({ newEmail: 'new@example.com', password: 'correct horse' }).subscribe(() => (isDone = true));
      const request = t.httpMock.expectOne(`${API}/auth/email/change`);
      expect(request.request.body).toEqual({ newEmail: 'new@example.com', password: 'correct horse' });
      request.flush(null, ACCEPTED);
      expect(isDone).toBe(true);
      expect(t.store.user()).toEqual(ALICE);
    });
  });
});
