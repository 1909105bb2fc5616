import { DataSource } from 'typeorm';
import { tokenHash } from '../auth/db';
import { Answer, Browser, closeConnections, PASSWORD, uniqueEmail } from '../harness';
import { startTestApp, TestApp } from '../test-app';

/**
 * Races on one session: the contract says many concurrent refreshes with one
 * token never create two live chains outside the grace rule, never lose a
 * session and never answer 500; and once logout has answered, no token of
 * that session refreshes any more.
 */
const statusesOf = (answers: Answer[]) => answers.map((a) => a.status).sort();

describe('concurrency on one user and one session', () => {
  let t: TestApp;
  let query: <T>(sql: string, params?: unknown[]) => Promise<T[]>;

  beforeAll(async () => {
    t = await startTestApp();
    const ds = t.app.get(DataSource);
    query = (sql, params) => ds.query(sql, params);
  });
  afterAll(async () => {
    closeConnections();
    await t?.close();
  });

  it('50 concurrent refreshes of one token: all succeed inside the grace, in the one session, no 5xx', async () => {
    const alice = new Browser(t);
    expect((await alice.register({ email: uniqueEmail('race'), password: PASSWORD })).status).toBe(201);
    const sid = alice.sessionId();
    const presented = alice.refreshToken as string;
    const tabs = Array.from({ length: 50 }, () => alice.fork());

    const answers = await Promise.all(tabs.map((tab) => tab.refresh()));
    expect(statusesOf(answers)).toEqual(Array(50).fill(200));
    expect(new Set(tabs.map((tab) => tab.sessionId()))).toEqual(new Set([sid]));
    const issued = tabs.map((tab) => tab.refreshToken as string);
    expect(new Set(issued).size).toBe(50);

    // One session; its chain is the presented token and the 50 issued from it, of which only
    // the last one issued is live: each replay within the grace ends the others (no second chain).
    const sessions = await query<{ id: string }>(`SELECT s.id FROM sessions s JOIN sessions me ON me.user_id = s.user_id WHERE me.id = $1`, [sid]);
    expect(sessions).toEqual([{ id: sid }]);
    const chain = await query<{ token_hash: Buffer; used: boolean }>(
      `SELECT t.token_hash, (t.used_at IS NOT NULL OR t.id <> s.live_token_id) AS used
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.session_id = $1`,
      [sid],
    );
    expect(chain).toHaveLength(51);
    const live = chain.filter((c) => !c.used).map((c) => c.token_hash.toString('hex'));
    expect(live).toHaveLength(1);
    expect(issued.map((token) => tokenHash(token).toString('hex'))).toContain(live[0]);
    expect(live[0]).not.toBe(tokenHash(presented).toString('hex'));

    // Logging out ends every one of them.
    expect((await tabs[0].logout()).status).toBe(204);
    const after = await Promise.all([...tabs.slice(1), alice].map((tab) => tab.refresh()));
    expect(statusesOf(after)).toEqual(Array(50).fill(401));
  });

  it('with no grace, 50 concurrent refreshes of one token are theft: no 5xx, and afterwards no token of the session works', async () => {
    const strict = await startTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    try {
      const alice = new Browser(strict);
      expect((await alice.register({ email: uniqueEmail('strict'), password: PASSWORD })).status).toBe(201);
      const sid = alice.sessionId();
      const tabs = Array.from({ length: 50 }, () => alice.fork());
      const answers = await Promise.all(tabs.map((tab) => tab.refresh()));
      // Rotations queue on the row lock: the first wins; the others find the token used.
      // (Only one arriving in the very millisecond of the first rotation could count as inside a 0 s grace.)
      const won = answers.filter((a) => a.status === 200).length;
      expect(statusesOf(answers).filter((s) => s !== 200 && s !== 401)).toEqual([]);
      expect(won).toBeGreaterThanOrEqual(1);
      expect(won).toBeLessThan(50);
      const [session] = await strict.app.get(DataSource).query(`SELECT revoked_reason FROM sessions WHERE id = $1`, [sid]);
      expect(session).toEqual({ revoked_reason: 'refresh_token_reuse' });
      const holders = [alice, ...tabs];
      expect(statusesOf(await Promise.all(holders.map((h) => h.refresh())))).toEqual(Array(51).fill(401));
      expect(statusesOf(await Promise.all(holders.map((h) => h.me())))).toEqual(Array(51).fill(401));
    } finally {
      await strict.close();
    }
  });

  it('20 concurrent logins of one user from its own browsers: 20 sessions, each with exactly one live token, no 5xx', async () => {
    const email = uniqueEmail('logins');
    expect((await new Browser(t).register({ email, password: PASSWORD })).status).toBe(201);
    const browsers = Array.from({ length: 20 }, () => new Browser(t));
    // Each browser signed in before and keeps its device cookie, so its attempts count on their own:
    // from new browsers, only 5 passwords of one account are ever checked at once (rate-limits.spec).
    for (const b of browsers) {
      expect((await b.login({ email, password: PASSWORD })).status).toBe(200);
      expect((await b.logout()).status).toBe(204);
    }
    const answers = await Promise.all(browsers.map((b) => b.login({ email, password: PASSWORD })));
    expect(statusesOf(answers)).toEqual(Array(20).fill(200));
    const sids = browsers.map((b) => b.sessionId());
    expect(new Set(sids).size).toBe(20);
    const chains = await query<{ id: string; unused: number; total: number }>(
      `SELECT s.id, count(t.id) FILTER (WHERE t.used_at IS NULL)::int AS unused, count(t.id)::int AS total
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN refresh_tokens t ON t.session_id = s.id
        WHERE u.email = $1 AND s.revoked_at IS NULL GROUP BY s.id`,
      [email],
    );
    expect(chains).toHaveLength(21);
    expect(chains.filter((c) => c.unused !== 1 || c.total !== 1)).toEqual([]);
    // Each session is its own: refreshing one leaves the others alone.
    expect(statusesOf(await Promise.all(browsers.map((b) => b.refresh())))).toEqual(Array(20).fill(200));
  });

  it('logout racing refreshes: no 5xx, and once logout has answered no token of the session refreshes or authenticates', async () => {
    const email = uniqueEmail('logout-race');
    const owner = new Browser(t);
    expect((await owner.register({ email, password: PASSWORD })).status).toBe(201);
    for (let round = 0; round < 10; round++) {
      const b = new Browser(t);
      expect((await b.login({ email, password: PASSWORD })).status).toBe(200);
      const sid = b.sessionId();
      const refreshers = Array.from({ length: 4 }, () => b.fork());
      const leaving = b.fork();
      // The logout goes out in the middle of the refreshes.
      const racing = [...refreshers.slice(0, 2).map((r) => r.refresh()), leaving.logout(), ...refreshers.slice(2).map((r) => r.refresh())];
      const answers = await Promise.all(racing);
      expect({ round, statuses: statusesOf(answers).filter((s) => s !== 200 && s !== 204 && s !== 401) }).toEqual({ round, statuses: [] });
      expect(answers[2].status).toBe(204);

      // Every refresh token the session ever had (the login's and any the race issued) is dead,
      // and so is every access token.
      const holders = [b, ...refreshers];
      const after = await Promise.all(holders.map((h) => h.refresh()));
      expect({ round, statuses: statusesOf(after) }).toEqual({ round, statuses: Array(holders.length).fill(401) });
      const me = await Promise.all(holders.map((h) => h.me()));
      expect({ round, statuses: statusesOf(me) }).toEqual({ round, statuses: Array(holders.length).fill(401) });
      const [row] = await query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM sessions WHERE id = $1`, [sid]);
      expect(row).toEqual({ revoked: true });
    }
  });
});
