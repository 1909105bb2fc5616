import { startTestApp, TestApp } from '../test-app';
import { expectApiError, refreshWith, signIn, signUp, sleep, statusWithin } from '../harness';
import { sessionRow } from './db';

/** The contract: revoked sessions' access tokens get 401 within 1 s, on every instance. */
const REVOCATION_DEADLINE_MS = 1000;

/**
 * Logout, logout-all, session deletion and theft: immediate on the instance
 * that revokes, within 1 s on another instance sharing the database.
 * A 1 s reuse grace makes theft quick to provoke.
 */
describe('revocation', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ TRUST_PROXY: 'true', REFRESH_REUSE_GRACE_SECONDS: '1' });
    b = await startTestApp({ TRUST_PROXY: 'true', REFRESH_REUSE_GRACE_SECONDS: '1' }, { sameDatabaseAs: a });
  });
  afterAll(async () => {
    // b first: on PGlite it shares a's database, which a owns.
    await b?.close();
    await a?.close();
  });

  describe('on the instance that revokes', () => {
    it('logout: the session’s access token gets 401 at once, by cookie and by Bearer; other sessions carry on', async () => {
      const { client, credentials } = await signUp(a);
      const other = await signIn(a, credentials);
      const stale = client.fork();
      const access = client.accessToken as string;
      expect((await client.logout()).status).toBe(204);
      expect((await stale.me()).status).toBe(401);
      expect((await stale.bearer('get', 'auth/me', access)).status).toBe(401);
      expect((await other.me()).status).toBe(200);
      expect((await other.refresh()).status).toBe(200);
    });

    it('logout-all: every session’s access token gets 401 at once', async () => {
      const { client, credentials } = await signUp(a);
      const others = await Promise.all([signIn(a, credentials), signIn(a, credentials)]);
      const stale = client.fork();
      expect((await client.logoutAll()).status).toBe(204);
      for (const c of [stale, ...others]) expect((await c.me()).status).toBe(401);
    });

    it('deleting a session: its access token gets 401 at once', async () => {
      const { client, credentials } = await signUp(a);
      const other = await signIn(a, credentials);
      expect((await client.deleteSession(other.sessionId())).status).toBe(204);
      expect((await other.me()).status).toBe(401);
      expect((await other.sessions()).status).toBe(401);
      expect((await client.me()).status).toBe(200);
    });

    it('theft (reuse after the grace): the session is revoked, its newest token and its access token fail at once', async () => {
      const { client, credentials } = await signUp(a);
      const bystander = await signIn(a, credentials);
      const stolen = client.refreshToken as string;
      const sid = client.sessionId();
      expect((await client.refresh()).status).toBe(200);
      expect((await client.me()).status).toBe(200);

      await sleep(1200);
      const { res } = await refreshWith(a, stolen);
      expectApiError(res, 401);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^access_token=[^;]/)]));
      expect(await sessionRow(a, sid)).toMatchObject({ revoked_reason: 'refresh_token_reuse', revoked_at: expect.any(Date) });

      expectApiError(await client.me(), 401);
      expectApiError(await client.refresh(), 401);
      // Only the stolen session ends.
      expect((await bystander.me()).status).toBe(200);
      expect((await bystander.refresh()).status).toBe(200);
    });

    it('a revoked session stays revoked: signing in again does not bring its tokens back', async () => {
      const { client, credentials } = await signUp(a);
      const stale = client.fork();
      expect((await client.logout()).status).toBe(204);
      expect((await client.login(credentials)).status).toBe(200);
      expect((await stale.refresh()).status).toBe(401);
      expect((await stale.me()).status).toBe(401);
      expect((await client.me()).status).toBe(200);
    });
  });

  describe('on another instance sharing the database', () => {
    it('a session opened on A works on B', async () => {
      const { client } = await signUp(a);
      expect((await client.on(b).me()).status).toBe(200);
      expect((await client.on(b).refresh()).status).toBe(200);
    });

    it('logout on A: B refuses the session’s access token within 1 s', async () => {
      const { client } = await signUp(a);
      const onB = client.on(b);
      expect((await onB.me()).status).toBe(200);
      expect((await client.logout()).status).toBe(204);
      expect(await statusWithin(REVOCATION_DEADLINE_MS, 401, () => onB.me())).toBe(401);
    });

    it('session deletion and logout-all on B: A refuses those tokens within 1 s', async () => {
      const { client, credentials } = await signUp(a);
      const second = await signIn(a, credentials);
      const third = await signIn(a, credentials);
      expect((await client.on(b).deleteSession(second.sessionId())).status).toBe(204);
      expect(await statusWithin(REVOCATION_DEADLINE_MS, 401, () => second.me())).toBe(401);
      expect((await third.me()).status).toBe(200);
      expect((await client.on(b).logoutAll()).status).toBe(204);
      expect(await statusWithin(REVOCATION_DEADLINE_MS, 401, () => third.me())).toBe(401);
      expect(await statusWithin(REVOCATION_DEADLINE_MS, 401, () => client.me())).toBe(401);
    });

    it('theft detected on B: A refuses the session’s access token within 1 s', async () => {
      const { client } = await signUp(a);
      const stolen = client.refreshToken as string;
      expect((await client.refresh()).status).toBe(200);
      await sleep(1200);
      expect((await refreshWith(b, stolen)).res.status).toBe(401);
      expect(await statusWithin(REVOCATION_DEADLINE_MS, 401, () => client.me())).toBe(401);
    });

    // Last: on PGlite the late instance shares a's database and closes it on its way out.
    it('an instance started after a revocation refuses the revoked session’s tokens from the start', async () => {
      const { client } = await signUp(a);
      const stale = client.fork();
      expect((await client.logout()).status).toBe(204);
      const late = await startTestApp({ TRUST_PROXY: 'true' }, { sameDatabaseAs: a });
      try {
        expect((await stale.on(late).me()).status).toBe(401);
      } finally {
        await late.close();
      }
    });
  });
});
