import type { INestApplication } from '@nestjs/common';
import { AuthPaths } from '@latchkey/auth-contract';
import { createTestDatabase, TestDatabase } from '@latchkey/auth-nest-testing';
import { createApp } from '../../app/create-app';
import { tokenHash } from '../auth/db';
import { Answer, Browser, closeConnections, expectApiError, HANG_MS, Method, NoAnswer, PASSWORD, sleep, uniqueEmail, waitFor, within } from '../harness';
import { listenLocally, testApiConfig } from '../test-app';
import { DbReader, openDbReader } from './db-reader';
import { TcpProxy } from './tcp-proxy';

/**
 * The contract: while the database is unreachable, endpoints that need it
 * answer 503 in Nest's shape within 10 s, and recover by themselves when it
 * is back. Only meaningful on a real server, reached here through a TCP proxy
 * the test cuts and restores; the embedded PGlite cannot be lost.
 */
if (!process.env['DATABASE_URL']) {
  throw new Error('this fault suite needs a PostgreSQL server: set DATABASE_URL (npm run test:faults does in CI)');
}
const describeOnPostgres = describe;

/** The contract's limits. */
const DETECT_MS = 10_000;
const RECOVER_MS = 15_000;

interface Rig {
  db: TestDatabase;
  proxy: TcpProxy;
  app: INestApplication;
  url: string;
  reader: DbReader;
  close(): Promise<void>;
}

/** The API, in this process, talking to its own fresh database through a proxy. */
async function startRig(env: Record<string, string> = {}): Promise<Rig> {
  const db = await createTestDatabase();
  const databaseUrl = db.databaseUrl as string;
  const proxy = await TcpProxy.forUrl(databaseUrl);
  const config = testApiConfig(db, { DATABASE_URL: proxy.rewrite(databaseUrl), ...env });
  const app = await createApp(config, { webRoot: null, logger: false });
  const url = await listenLocally(app);
  const reader = await openDbReader(db);
  return {
    db,
    proxy,
    app,
    url,
    reader,
    close: async () => {
      await proxy.restore();
      await app.close();
      await reader.close();
      await proxy.close();
      await db.drop();
    },
  };
}

const authCookieSet = (answer: Answer) => answer.setCookies.filter((c) => /^(access_token|refresh_token)=/.test(c));

/** Every live session has exactly one unused refresh token: no chain lost, none forked. */
async function liveChains(reader: DbReader): Promise<{ session_id: string; unused: number; total: number }[]> {
  return reader.query(
    `SELECT s.id AS session_id, count(t.id) FILTER (WHERE t.used_at IS NULL)::int AS unused, count(t.id)::int AS total
       FROM sessions s LEFT JOIN refresh_tokens t ON t.session_id = s.id
      WHERE s.revoked_at IS NULL GROUP BY s.id`,
  );
}

describeOnPostgres('database loss (PostgreSQL behind a TCP proxy)', () => {
  afterAll(() => closeConnections());

  describe('the server goes away (connections reset, new ones refused)', () => {
    let rig: Rig;
    let alice: Browser;
    let bob: Browser;
    let carol: Browser;
    let carolRevokedAccess: string;
    const bobEmail = uniqueEmail('bob');
    const aliceEmail = uniqueEmail('alice');
    let aliceRefreshes = 0;

    beforeAll(async () => {
      // Grace 0: a refresh token that an outage had half-consumed would be refused afterwards.
      rig = await startRig({ REFRESH_REUSE_GRACE_SECONDS: '0' });
      alice = new Browser(rig);
      bob = new Browser(rig);
      carol = new Browser(rig);
      expect((await alice.register({ email: aliceEmail, password: PASSWORD })).status).toBe(201);
      expect((await alice.refresh()).status).toBe(200);
      aliceRefreshes++;
      expect((await bob.register({ email: bobEmail, password: PASSWORD })).status).toBe(201);
      expect((await carol.register({ email: uniqueEmail('carol'), password: PASSWORD })).status).toBe(201);
      carolRevokedAccess = carol.accessToken as string;
      const stale = carol.fork();
      expect((await carol.logout()).status).toBe(204);
      carol = stale;
    });
    afterAll(() => rig?.close());

    it('answers /health 503 within 10 s of the cut, every call within 10 s', async () => {
      const cutAt = Date.now();
      await rig.proxy.cut();
      const down = await waitFor('/health to answer 503', DETECT_MS, async () => {
        const res = await alice.send('get', 'health');
        return res.status === 503 ? res : undefined;
      });
      expect(Date.now() - cutAt).toBeLessThan(DETECT_MS);
      expect(down.body).toEqual({ status: 'error', db: 'down' });
    });

    it('answers 503 in Nest’s shape on every endpoint that needs the database, never 500, and keeps the cookies', async () => {
      const session = (await rig.reader.query<{ id: string }>(`SELECT id FROM sessions LIMIT 1`))[0].id;
      const calls: [string, Browser, Method, string, object?][] = [
        ['register', new Browser(rig), 'post', AuthPaths.register, { email: uniqueEmail('dave'), password: 'dave password 123' }],
        ['login', bob, 'post', AuthPaths.login, { email: bobEmail, password: PASSWORD }],
        ['refresh', alice, 'post', AuthPaths.refresh],
        ['sessions', alice, 'get', AuthPaths.sessions],
        ['delete a session', alice, 'delete', `${AuthPaths.sessions}/${session}`],
        ['logout-all', bob, 'post', AuthPaths.logoutAll],
        ['logout', alice.fork(), 'post', AuthPaths.logout],
      ];
      const before = { alice: alice.refreshToken, bob: bob.refreshToken };
      for (const [name, browser, method, path, body] of calls) {
        const res = await browser.attempt(method, path, { body });
        expect({ name, status: res.status, hung: res.ms >= HANG_MS }).toEqual({ name, status: 503, hung: false });
        expectApiError(res as Answer, 503);
        // A 503 must not sign anyone out: no auth cookie is set or cleared.
        expect({ name, cookies: authCookieSet(res as Answer) }).toEqual({ name, cookies: [] });
      }
      expect({ alice: alice.refreshToken, bob: bob.refreshToken }).toEqual(before);
    });

    it('keeps answering what needs no database: providers, and 401 for missing, bad or revoked access tokens', async () => {
      // /auth/sessions reads the database (503 above). /auth/me answers from the
      // few-second user cache while the user is in it, else 503: never 500, never a hang.
      const me = await alice.attempt('get', AuthPaths.me);
      expect({ ok: [200, 503].includes(me.status), hung: me.ms >= HANG_MS }).toEqual({ ok: true, hung: false });
      if (me.status === 200) expect(((me as Answer).body as { user: { email: string } }).user.email).toBe(aliceEmail);
      else expectApiError(me as Answer, 503);

      const providers = await alice.send('get', AuthPaths.providers);
      expect({ status: providers.status, body: providers.body }).toEqual({ status: 200, body: { password: true, google: false } });

      const anonymous = await new Browser(rig).me();
      expectApiError(anonymous, 401);

      const tampered = alice.fork();
      tampered.jar.set('access_token', (alice.accessToken as string).slice(0, -2) + 'xx');
      expectApiError(await tampered.me(), 401);

      // Carol's session was revoked before the cut: refused from memory.
      carol.jar.set('access_token', carolRevokedAccess);
      expectApiError(await carol.me(), 401);
    });

    it('recovers by itself within 15 s of the restore: health, login, refresh with the token held before the outage', async () => {
      const restoredAt = Date.now();
      await rig.proxy.restore();
      await waitFor('/health to answer 200', RECOVER_MS, async () => ((await alice.send('get', 'health')).status === 200 ? true : undefined));
      const login = await waitFor('login to work', RECOVER_MS - (Date.now() - restoredAt), async () => {
        const res = await bob.login({ email: bobEmail, password: PASSWORD });
        return res.status === 200 ? res : undefined;
      });
      expect(login.status).toBe(200);
      const held = alice.refreshToken as string;
      const refreshed = await alice.refresh();
      expect(refreshed.status).toBe(200);
      aliceRefreshes++;
      expect(alice.refreshToken).not.toBe(held);
      expect((await alice.me()).status).toBe(200);
      expect(Date.now() - restoredAt).toBeLessThan(RECOVER_MS);
    });

    it('lost no session or rotation and wrote nothing by half', async () => {
      const users = await rig.reader.query<{ email: string }>(`SELECT email FROM users ORDER BY email`);
      expect(users.map((u) => u.email.split('-')[0]).sort()).toEqual(['alice', 'bob', 'carol']);
      // Alice: one session whose chain is register + each successful refresh, newest unused.
      const chain = await rig.reader.query<{ token_hash: Buffer; used_at: Date | null }>(
        `SELECT t.token_hash, t.used_at FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
           JOIN users u ON u.id = s.user_id WHERE u.email LIKE 'alice-%' ORDER BY t.issued_at, t.used_at NULLS LAST`,
      );
      expect(chain).toHaveLength(1 + aliceRefreshes);
      expect(chain.filter((t) => t.used_at === null).map((t) => t.token_hash)).toEqual([tokenHash(alice.refreshToken as string)]);
      // Bob: the session of his registration and that of his login after the outage.
      const [bobs] = await rig.reader.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.revoked_at IS NULL`,
        [bobEmail],
      );
      expect(bobs.n).toBe(2);
      for (const chainOf of await liveChains(rig.reader)) expect(chainOf).toEqual({ ...chainOf, unused: 1 });
    });
  });

  describe('the server goes away while 10 clients keep refreshing', () => {
    let rig: Rig;
    afterAll(() => rig?.close());

    it('answers each refresh 200 or 503 (never 500, never hanging); every 200 is stored; all recover', async () => {
      rig = await startRig();
      const clients = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const b = new Browser(rig);
          expect((await b.register({ email: uniqueEmail('loop'), password: PASSWORD })).status).toBe(201);
          return b;
        }),
      );
      const statuses = new Map<number | string, number>();
      const issued: string[] = [];
      let phase: 'before' | 'outage' | 'after' = 'before';
      const recovered = new Set<Browser>();
      const loop = async (b: Browser) => {
        while (!(phase === 'after' && recovered.has(b))) {
          const res: Answer | NoAnswer = await b.attempt('post', AuthPaths.refresh);
          const key = res.status === 0 ? (res as NoAnswer).error : res.status;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (res.status === 200) {
            issued.push(b.refreshToken as string);
            if (phase === 'after') recovered.add(b);
          }
          if (res.status !== 200) await sleep(50);
        }
      };
      const loops = Promise.all(clients.map(loop));
      await sleep(1000);
      phase = 'outage';
      await rig.proxy.cut();
      await sleep(3000);
      const restoredAt = Date.now();
      await rig.proxy.restore();
      phase = 'after';
      await within(RECOVER_MS, loops, 'every client to recover');
      expect(Date.now() - restoredAt).toBeLessThan(RECOVER_MS);

      // 401 would mean a rotation half-done by the outage; 500 or no answer, a bug.
      expect([...statuses.keys()].sort()).toEqual([200, 503]);
      const stored = await rig.reader.query<{ token_hash: Buffer }>(`SELECT token_hash FROM refresh_tokens WHERE token_hash = ANY($1)`, [issued.map(tokenHash)]);
      expect(stored).toHaveLength(issued.length);
      // Each client's newest token still works.
      for (const b of clients) expect((await b.refresh()).status).toBe(200);
    });
  });

  describe('the network partitions while 10 clients keep refreshing (transactions cut mid-way)', () => {
    let rig: Rig | undefined;
    afterEach(async () => {
      await rig?.close();
      rig = undefined;
    });

    /**
     * 10 clients refresh in a loop; the network partitions for `partitionMs`,
     * then comes back. Every answer must come within 10 s and be 200 or 503;
     * every 200 is stored; no rotation is half-done; no pooled connection is
     * left inside an interrupted transaction.
     */
    async function partitionUnderLoad(partitionMs: number): Promise<void> {
      rig = await startRig();
      const { proxy, reader, url } = rig;
      const clients = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const b = new Browser(url);
          expect((await b.register({ email: uniqueEmail('part'), password: PASSWORD })).status).toBe(201);
          return b;
        }),
      );
      const statuses = new Map<number | string, number>();
      const slow: number[] = [];
      const issued: string[] = [];
      let phase: 'before' | 'outage' | 'after' = 'before';
      const recovered = new Set<Browser>();
      const loop = async (b: Browser) => {
        while (!(phase === 'after' && recovered.has(b))) {
          const res = await b.attempt('post', AuthPaths.refresh);
          const key = res.status === 0 ? (res as NoAnswer).error : res.status;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (res.ms >= HANG_MS) slow.push(res.ms);
          if (res.status === 200) {
            issued.push(b.refreshToken as string);
            if (phase === 'after') recovered.add(b);
          } else {
            await sleep(50);
          }
        }
      };
      const loops = Promise.all(clients.map(loop));
      await sleep(1000);
      phase = 'outage';
      proxy.blackhole();
      await sleep(partitionMs);
      const restoredAt = Date.now();
      await proxy.restore();
      phase = 'after';
      await within(RECOVER_MS, loops, 'every client to recover');
      expect(Date.now() - restoredAt).toBeLessThan(RECOVER_MS);

      expect({ answersSlowerThan10s: slow }).toEqual({ answersSlowerThan10s: [] });
      expect([...statuses.keys()].sort()).toEqual([200, 503]);
      const stored = await reader.query<{ token_hash: Buffer }>(`SELECT token_hash FROM refresh_tokens WHERE token_hash = ANY($1)`, [issued.map(tokenHash)]);
      expect(stored).toHaveLength(issued.length);
      // A rotation is all or nothing: no live session is left without an unused token.
      const chains = await liveChains(reader);
      expect(chains.filter((c) => c.unused < 1)).toEqual([]);
      for (const b of clients) expect((await b.refresh()).status).toBe(200);
      // No pooled connection was handed back inside a transaction the partition interrupted.
      await sleep(500);
      const stuck = await reader.query<{ state: string; query: string }>(
        `SELECT state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
      );
      expect(stuck).toEqual([]);
    }

    it('a 6 s partition: every answer 200 or 503 within 10 s, every 200 stored, nothing half-done or stuck', () => partitionUnderLoad(6000));

    /**
     * A statement caught mid-flight waits QUERY_TIMEOUT_MS (5 s); the
     * transaction then drops its dead connection instead of waiting another
     * 5 s on a ROLLBACK (database/transaction.ts), so the answer stays < 10 s.
     */
    it('a 12 s partition: transactions in flight still answer 503 within 10 s', () => partitionUnderLoad(12_000));
  });

  describe('the network partitions (connections hang, nothing answers)', () => {
    let rig: Rig;
    const email = uniqueEmail('erin');
    let erin: Browser;

    beforeAll(async () => {
      rig = await startRig({ REFRESH_REUSE_GRACE_SECONDS: '0' });
      erin = new Browser(rig);
      expect((await erin.register({ email, password: PASSWORD })).status).toBe(201);
    });
    afterAll(() => rig?.close());

    it('answers /health 503 and every auth endpoint 503 within 10 s, none hanging', async () => {
      const cutAt = Date.now();
      rig.proxy.blackhole();
      await waitFor('/health to answer 503', DETECT_MS, async () => ((await erin.send('get', 'health')).status === 503 ? true : undefined));
      expect(Date.now() - cutAt).toBeLessThan(DETECT_MS);
      const answers = await Promise.all([
        erin.fork().attempt('post', AuthPaths.login, { body: { email, password: PASSWORD } }),
        erin.fork().attempt('post', AuthPaths.refresh),
        erin.fork().attempt('get', AuthPaths.me),
        new Browser(rig).attempt('post', AuthPaths.register, { body: { email: uniqueEmail('frank'), password: 'frank password 123' } }),
      ]);
      expect(answers.map((a) => ({ status: a.status, inTime: a.ms < HANG_MS }))).toEqual(answers.map(() => ({ status: 503, inTime: true })));
    });

    it('recovers within 15 s of the network coming back, with nothing half-written', async () => {
      const restoredAt = Date.now();
      await rig.proxy.restore();
      await waitFor('/health to answer 200', RECOVER_MS, async () => ((await erin.send('get', 'health')).status === 200 ? true : undefined));
      // Several rounds, so every pooled connection that lived through the partition is used again.
      for (let i = 0; i < 12; i++) {
        const held = erin.refreshToken;
        const res = await erin.refresh();
        expect({ round: i, status: res.status }).toEqual({ round: i, status: 200 });
        expect(erin.refreshToken).not.toBe(held);
      }
      const login = await new Browser(rig).login({ email, password: PASSWORD });
      expect(login.status).toBe(200);
      expect(Date.now() - restoredAt).toBeLessThan(RECOVER_MS);
      // What the server said it stored is there, on a fresh connection.
      const [row] = await rig.reader.query<{ used_at: Date | null }>(`SELECT used_at FROM refresh_tokens WHERE token_hash = $1`, [tokenHash(erin.refreshToken as string)]);
      expect(row).toEqual({ used_at: null });
      for (const chainOf of await liveChains(rig.reader)) expect(chainOf).toEqual({ ...chainOf, unused: 1 });
    });
  });
});
