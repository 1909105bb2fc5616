import { AuthPaths } from '@latchkey/auth-contract';
import { createTestDatabase, TestDatabase } from '@latchkey/auth-nest-testing';
import { BuiltServer, startBuiltServer } from '@latchkey/server-testing';
import { tokenHash } from '../auth/db';
import { Answer, Browser, closeConnections, NoAnswer, PASSWORD, sleep, uniqueEmail } from '../harness';
import { openDbReader } from './db-reader';

/**
 * The contract: on SIGTERM the server stops accepting, lets in-flight
 * requests finish, then closes the database and exits 0 within 10 s. Under
 * load that means: every refresh it answered 200 was committed first.
 */
const CONNECTIONS = 50;

describe('SIGTERM while 50 connections refresh', () => {
  let db: TestDatabase;
  let server: BuiltServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startBuiltServer({ ENV: 'test', DATABASE_URL: db.databaseUrl, DATA_DIR: db.dataDir, JWT_SECRET: 'shutdown-test-secret-0123456789-0123456789' });
  });
  afterAll(async () => {
    closeConnections();
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  it('exits 0 within 10 s, and every refresh answered 200 is in the database', async () => {
    const email = uniqueEmail('shutdown');
    const first = new Browser(server);
    expect((await first.register({ email, password: PASSWORD })).status).toBe(201);
    const clients: Browser[] = [];
    while (clients.length < CONNECTIONS) {
      // 5 at a time: from new browsers, no more than 5 sign-ins of one account are checked at once (the rest get 429).
      const batch = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const b = new Browser(server);
          expect((await b.login({ email, password: PASSWORD })).status).toBe(200);
          return b;
        }),
      );
      clients.push(...batch);
    }

    const answered200: string[] = [];
    const others: { status: number | string; phase: string }[] = [];
    let sigtermSent = false;
    // Each connection refreshes its own session back to back, always with its newest token,
    // and stops at its first answer other than 200 (the server is going away).
    const loop = async (b: Browser) => {
      for (;;) {
        const res: Answer | NoAnswer = await b.attempt('post', AuthPaths.refresh);
        if (res.status === 200) {
          answered200.push(b.refreshToken as string);
          continue;
        }
        others.push({ status: res.status === 0 ? (res as NoAnswer).error : res.status, phase: sigtermSent ? 'after SIGTERM' : 'before SIGTERM' });
        return;
      }
    };
    const loops = Promise.all(clients.map(loop));
    await sleep(1500);
    const beforeSignal = answered200.length;
    expect(beforeSignal).toBeGreaterThan(CONNECTIONS);

    const signalledAt = Date.now();
    sigtermSent = true;
    const code = await server.stop('SIGTERM');
    const exitMs = Date.now() - signalledAt;
    await loops;

    expect({ code, within10s: exitMs < 10_000 }).toEqual({ code: 0, within10s: true });
    // Only 200s, then connection errors once it stopped listening: never a 5xx or a 401.
    expect(others.filter((o) => typeof o.status === 'number')).toEqual([]);
    expect(others).toHaveLength(CONNECTIONS);

    const reader = await openDbReader(db);
    try {
      const stored = await reader.query<{ n: number }>(`SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = ANY($1)`, [answered200.map(tokenHash)]);
      expect({ answered200: answered200.length, stored: stored[0].n }).toEqual({ answered200: answered200.length, stored: answered200.length });
      // Each session still has exactly one live refresh token: none lost, none forked.
      const chains = await reader.query<{ unused: number }>(
        `SELECT count(t.id) FILTER (WHERE t.used_at IS NULL)::int AS unused FROM sessions s LEFT JOIN refresh_tokens t ON t.session_id = s.id GROUP BY s.id`,
      );
      expect(chains.filter((c) => c.unused !== 1)).toEqual([]);
      expect(chains).toHaveLength(CONNECTIONS + 1);
    } finally {
      await reader.close();
    }
  });
});
