import { startTestApp, TestApp } from '../test-app';
import { expectApiError, refreshWith, setCookieOf, signUp } from '../harness';
import { dataSourceOf, sessionRow, sessionsOfUser, tokenHash } from './db';

const ACCESS_TTL = 60;
const REFRESH_TTL = 120;
const SESSION_MAX_AGE = 600;

const sha256 = (token: string) => tokenHash(token).toString('hex');

/** Rotation within the default 30 s grace, and the idle and absolute session limits. (Theft: revocation.spec.) */
describe('refresh rotation', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await startTestApp({
        TRUST_PROXY: 'true',
        ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL),
        REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_TTL),
        SESSION_MAX_AGE_SECONDS: String(SESSION_MAX_AGE),
      })),
  );
  afterAll(() => t?.close());

  /** SHA-256 (hex) of the session's live refresh tokens: never used, and the one the session names (if it names one). */
  async function liveTokenHashes(sessionId: string): Promise<string[]> {
    const rows: { token_hash: Buffer }[] = await dataSourceOf(t).query(
      `SELECT t.token_hash FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.session_id = $1 AND t.used_at IS NULL AND (s.live_token_id IS NULL OR s.live_token_id = t.id)`,
      [sessionId],
    );
    return rows.map((row) => row.token_hash.toString('hex'));
  }

  /** Moves every instant of the session's tokens `seconds` into the past: the grace runs out. */
  async function ageTokens(sessionId: string, seconds: number): Promise<void> {
    const db = dataSourceOf(t);
    const by = `interval '${seconds} seconds'`;
    await db.query(`UPDATE refresh_tokens SET issued_at = issued_at - ${by}, used_at = used_at - ${by} WHERE session_id = $1`, [sessionId]);
    await db.query(`UPDATE sessions SET live_since = live_since - ${by} WHERE id = $1`, [sessionId]);
  }

  it('rotates: a new refresh token in the same session, the presented one marked used', async () => {
    const { client } = await signUp(t);
    const old = client.refreshToken as string;
    const sid = client.sessionId();
    const res = await client.refresh();
    expect(res.status).toBe(200);
    const fresh = setCookieOf(res, client.cookieNames.refresh).value;
    expect(fresh).not.toBe(old);
    expect(client.sessionId()).toBe(sid);
    const rows: { token_hash: Buffer; used_at: Date | null }[] = await dataSourceOf(t).query(`SELECT token_hash, used_at FROM refresh_tokens WHERE session_id = $1`, [sid]);
    const usedAt = new Map(rows.map((row) => [row.token_hash.toString('hex'), row.used_at]));
    expect(usedAt.get(sha256(old))).toBeInstanceOf(Date);
    expect(usedAt.get(sha256(fresh))).toBeNull();
  });

  it('lets a just-used token be presented again within the grace: tokens in the same session', async () => {
    const { client } = await signUp(t);
    const old = client.refreshToken as string;
    const sid = client.sessionId();
    expect((await client.refresh()).status).toBe(200);

    const { res, client: otherTab } = await refreshWith(t, old);
    expect(res.status).toBe(200);
    expect(otherTab.sessionId()).toBe(sid);
    expect(otherTab.refreshToken).not.toBe(old);
    // Both tabs go on working in the one session.
    expect((await client.refresh()).status).toBe(200);
    expect((await otherTab.refresh()).status).toBe(200);
    expect((await client.me()).status).toBe(200);
    const session = await sessionRow(t, sid);
    expect(session.revoked_at).toBeNull();
    expect(await sessionsOfUser(t, session.user_id)).toHaveLength(1);
  });

  it('survives 50 concurrent refreshes of one token: no 5xx, one live session', async () => {
    const { client, user } = await signUp(t);
    const token = client.refreshToken as string;
    const sid = client.sessionId();
    const results = await Promise.all(Array.from({ length: 50 }, () => refreshWith(t, token)));
    const statuses = results.map(({ res }) => res.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // Every one is within the grace, so every one succeeds, in the same session.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(new Set(results.map(({ client: c }) => c.sessionId()))).toEqual(new Set([sid]));
    const sessions = await sessionsOfUser(t, user.id);
    expect(sessions.map((s) => [s.id, s.revoked_at])).toEqual([[sid, null]]);
    expect((await results[49].client.refresh()).status).toBe(200);
  });

  it('a replay within the grace makes the token it issues the session’s only live one: the other chain is theft after the grace', async () => {
    const { client } = await signUp(t);
    const r0 = client.currentRefreshToken();
    const sid = client.sessionId();
    expect((await client.refresh()).status).toBe(200); // client now holds R1
    const { res, client: replayer } = await refreshWith(t, r0); // R0 again, within the grace: R2
    expect(res.status).toBe(200);
    expect(await liveTokenHashes(sid)).toEqual([sha256(replayer.currentRefreshToken())]);

    await ageTokens(sid, 31);
    expectApiError(await client.refresh(), 401);
    expect((await sessionRow(t, sid)).revoked_reason).toBe('refresh_token_reuse');
    expectApiError(await replayer.refresh(), 401);
  });

  it('30 concurrent refreshes of one token leave one live token, not 30 chains', async () => {
    const { client } = await signUp(t);
    const token = client.currentRefreshToken();
    const sid = client.sessionId();
    const results = await Promise.all(Array.from({ length: 30 }, () => refreshWith(t, token)));
    expect(results.map(({ res }) => res.status).filter((status) => status !== 200)).toEqual([]);
    const live = await liveTokenHashes(sid);
    expect(live).toHaveLength(1);
    expect(results.map(({ client: c }) => sha256(c.currentRefreshToken()))).toContain(live[0]);
    // After the grace, any other of the 30 is theft.
    await ageTokens(sid, 31);
    const stale = results.find(({ client: c }) => sha256(c.currentRefreshToken()) !== live[0]);
    expectApiError(await (stale as (typeof results)[number]).client.refresh(), 401);
    expect((await sessionRow(t, sid)).revoked_reason).toBe('refresh_token_reuse');
  });

  it('moves lastUsedAt and the idle expiry forward on refresh', async () => {
    const { client } = await signUp(t);
    const [before] = (await client.sessions()).body;
    const row = await sessionRow(t, client.sessionId());
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(REFRESH_TTL * 1000);
    expect((await client.refresh()).status).toBe(200);
    const [after] = (await client.sessions()).body;
    expect(after.id).toBe(before.id);
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    expect((await sessionRow(t, client.sessionId())).expires_at.getTime()).toBeGreaterThan(row.expires_at.getTime());
  });

  it('ends a session left idle past REFRESH_TOKEN_TTL_SECONDS', async () => {
    const { client } = await signUp(t);
    await dataSourceOf(t).query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [client.sessionId()]);
    expectApiError(await client.refresh(), 401);
    expect((await client.sessions()).body).toEqual([]);
  });

  it('never lets a session outlive login + SESSION_MAX_AGE_SECONDS: the refresh cookie’s Max-Age shrinks, then refresh is refused', async () => {
    const { client } = await signUp(t);
    const sid = client.sessionId();
    const login = await sessionRow(t, sid);
    expect(login.absolute_expires_at.getTime() - login.created_at.getTime()).toBe(SESSION_MAX_AGE * 1000);

    // The session was opened 550 s ago: 50 s of its life are left, less than the idle limit.
    await dataSourceOf(t).query(
      `UPDATE sessions SET created_at = created_at - interval '550 seconds', absolute_expires_at = absolute_expires_at - interval '550 seconds' WHERE id = $1`,
      [sid],
    );
    const res = await client.refresh();
    expect(res.status).toBe(200);
    const maxAge = setCookieOf(res, client.cookieNames.refresh).maxAge as number;
    expect(maxAge).toBeLessThanOrEqual(SESSION_MAX_AGE - 550);
    expect(maxAge).toBeGreaterThanOrEqual(SESSION_MAX_AGE - 550 - 2);
    const row = await sessionRow(t, sid);
    expect(row.expires_at.getTime()).toBe(row.absolute_expires_at.getTime());

    // Past the absolute limit while the idle one is still ahead: the absolute limit alone must end it.
    await dataSourceOf(t).query(`UPDATE sessions SET absolute_expires_at = now() - interval '1 second', expires_at = now() + interval '1 hour' WHERE id = $1`, [sid]);
    expectApiError(await client.refresh(), 401);
  });
});
