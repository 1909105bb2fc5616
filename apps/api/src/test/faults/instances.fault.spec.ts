import Redis from 'ioredis';
import { createTestDatabase, TestDatabase } from '@latchkey/auth-nest-testing';
import { BuiltServer, startBuiltServer } from '@latchkey/server-testing';
import { Browser, closeConnections, expectApiError, PASSWORD, sleep, uniqueEmail, uniqueIp } from '../harness';

/**
 * Two API processes (the built server, as deployed) on one PostgreSQL database
 * and one Redis. PGlite belongs to one process, so this needs DATABASE_URL.
 */
if (!process.env['DATABASE_URL']) {
  throw new Error('this fault suite needs a PostgreSQL server: set DATABASE_URL (npm run test:faults does in CI)');
}
const describeOnPostgres = describe;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** The contract: revoked access tokens fail within 1 s on every instance. */
const REVOCATION_MS = 1000;

/** Polls `me` on `browser` until 401; resolves with the time from `since`, or rejects after 3 s. */
async function msUntilRefused(browser: Browser, since: number): Promise<number> {
  for (;;) {
    const res = await browser.me();
    if (res.status === 401) return Date.now() - since;
    if (res.status !== 200) throw new Error(`unexpected ${res.status} from /auth/me: ${res.text}`);
    if (Date.now() - since > 3000) throw new Error('the access token was still accepted 3 s after revocation');
    await sleep(10);
  }
}

describeOnPostgres('several API instances on one database and one Redis', () => {
  let db: TestDatabase;
  let a: BuiltServer;
  let b: BuiltServer;

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      throw new Error(`these tests need Redis at ${REDIS_URL} (set REDIS_URL): ${(error as Error).message}`);
    } finally {
      redis.disconnect();
    }
    db = await createTestDatabase();
    const env = {
      ENV: 'test',
      DATABASE_URL: db.databaseUrl,
      DATA_DIR: db.dataDir,
      JWT_SECRET: 'instances-test-secret-0123456789-0123456789',
      REDIS_URL,
      // Each client gets an address of its own (X-Forwarded-For), so limits never leak between tests or runs.
      TRUST_PROXY: 'true',
      REFRESH_REUSE_GRACE_SECONDS: '1',
    };
    // One after the other: both run the migrations at start.
    a = await startBuiltServer(env);
    b = await startBuiltServer(env);
  });
  afterAll(async () => {
    closeConnections();
    await a?.stop('SIGTERM');
    await b?.stop('SIGTERM');
    await db?.drop();
  });

  it('refreshes on B a session made on A, and each accepts the other’s access tokens', async () => {
    const onA = new Browser(a);
    expect((await onA.register({ email: uniqueEmail('ab'), password: PASSWORD })).status).toBe(201);
    const onB = onA.on(b);
    expect((await onB.me()).status).toBe(200);
    expect((await onB.refresh()).status).toBe(200);
    expect(onB.refreshToken).not.toBe(onA.refreshToken);
    expect((await onB.on(a).me()).status).toBe(200);
  });

  it('revokes on A within 1 s the access tokens of a session whose stolen refresh token B caught', async () => {
    const victim = new Browser(a);
    expect((await victim.register({ email: uniqueEmail('victim'), password: PASSWORD })).status).toBe(201);
    const thief = victim.on(b); // holds the same refresh token, R1
    const firstAccess = victim.fork();

    // The victim refreshes on B: R1 is used, R2 issued.
    const victimOnB = victim.on(b);
    expect((await victimOnB.refresh()).status).toBe(200);
    const victimOnA = victimOnB.on(a);
    expect((await victimOnA.me()).status).toBe(200);
    expect((await firstAccess.me()).status).toBe(200);

    // Past the 1 s grace, R1 shows up again on B: theft.
    await sleep(1300);
    const sentAt = Date.now();
    const theft = await thief.refresh();
    expectApiError(theft, 401);

    const [msOld, msNew] = await Promise.all([msUntilRefused(firstAccess, sentAt), msUntilRefused(victimOnA, sentAt)]);
    expect({ msOld: msOld < REVOCATION_MS, msNew: msNew < REVOCATION_MS }).toEqual({ msOld: true, msNew: true });
    // The whole session is gone: its newest refresh token fails on A too.
    expectApiError(await victimOnA.refresh(), 401);
  });

  it('revokes on the other instance within 1 s after logout-all and after deleting a session', async () => {
    const email = uniqueEmail('multi');
    const laptop = new Browser(a);
    expect((await laptop.register({ email, password: PASSWORD })).status).toBe(201);
    const phone = new Browser(a);
    expect((await phone.login({ email, password: PASSWORD })).status).toBe(200);
    const tablet = new Browser(b);
    expect((await tablet.login({ email, password: PASSWORD })).status).toBe(200);

    // Delete the phone's session from the laptop (on A); the phone asks B.
    const sessions = await laptop.sessions();
    const phoneSession = (sessions.body as { id: string; current: boolean; lastUsedAt: string }[]).filter((s) => !s.current);
    expect(phoneSession.length).toBe(2);
    const phoneOnB = phone.on(b);
    expect((await phoneOnB.me()).status).toBe(200);
    const phoneSid = phone.sessionId();
    const deletedAt = Date.now();
    expect((await laptop.deleteSession(phoneSid)).status).toBe(204);
    expect(await msUntilRefused(phoneOnB, deletedAt)).toBeLessThan(REVOCATION_MS);

    // Logout-all from the tablet (on B); the laptop's token is refused on A.
    expect((await laptop.me()).status).toBe(200);
    const allAt = Date.now();
    expect((await tablet.logoutAll()).status).toBe(204);
    expect(await msUntilRefused(laptop, allAt)).toBeLessThan(REVOCATION_MS);
  });

  it('counts failed logins across both instances: 5 failures split over A and B, then 429 on either', async () => {
    const email = uniqueEmail('limited');
    const ip = uniqueIp();
    const owner = new Browser(a, { ip });
    expect((await owner.register({ email, password: PASSWORD })).status).toBe(201);
    const onA = new Browser(a, { ip });
    const onB = new Browser(b, { ip });
    // A, B, A, B, A: an in-process counter would have seen 3 and 2.
    for (const browser of [onA, onB, onA, onB, onA]) {
      expectApiError(await browser.login({ email, password: 'wrong password!' }), 401);
    }
    for (const browser of [onB, onA]) {
      const blocked = await browser.login({ email, password: PASSWORD });
      expectApiError(blocked, 429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
