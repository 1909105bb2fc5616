import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase, openTestDataSource, testAuthConfig } from '../../testing/test-database';
import type { AuthConfig } from '../config/auth-config';
import { AccountTokenStore } from '../tokens/account-token.store';
import { CLEANUP_BATCH_ROWS, CleanupReport, SessionCleanup } from './session-cleanup';
import { CLEANUP_LOCK_KEY, SessionStore, STALE_ROW_DELETES, StaleRowDeleter, StaleRowKind } from './session.store';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
/** Only a server has another instance to hold the lock: PGlite is one connection (createTestDatabase reads the same variable). */
const isOnPostgres = Boolean(process.env['DATABASE_URL']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The hourly cleanup against a real database (PGlite, or PostgreSQL with DATABASE_URL). */
describe('SessionCleanup', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let config: AuthConfig;
  let store: SessionStore;
  let accountTokens: AccountTokenStore;
  /** What the cleanup logs, kept off the console. */
  let logs: Record<'log' | 'warn' | 'debug', jest.SpyInstance>;
  const lines = (level: keyof typeof logs) => logs[level].mock.calls.map(([line]) => String(line));
  const events = () => lines('log').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  const instances: SessionCleanup[] = [];
  const cleanup = () => {
    const made = new SessionCleanup(config, store, accountTokens);
    instances.push(made);
    return made;
  };
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const batchesFor = (kind: StaleRowKind, rows: number) => Math.floor(rows / CLEANUP_BATCH_ROWS[kind]) + 1;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openTestDataSource(db);
    config = testAuthConfig(db);
    store = new SessionStore(ds);
    accountTokens = new AccountTokenStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    logs = {
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      debug: jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined),
    };
    await ds.query(`TRUNCATE sessions, refresh_tokens, session_tombstones`);
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.onApplicationShutdown()));
    jest.restoreAllMocks();
  });

  /** `count` sessions, each with one refresh token not used yet; their ids. */
  async function addSessions(count: number, times: { expiresAt: Date; revokedAt?: Date }): Promise<string[]> {
    const rows: { session_id: string }[] = await ds.query(
      `WITH s AS (
         INSERT INTO sessions (user_id, created_at, last_used_at, expires_at, absolute_expires_at, revoked_at)
         SELECT $1, $2, $2, $3, $3::timestamptz + interval '1 day', $4 FROM generate_series(1, $5)
         RETURNING id)
       INSERT INTO refresh_tokens (session_id, token_hash, issued_at) SELECT id, sha256(convert_to(id::text, 'UTF8')), $2 FROM s RETURNING session_id`,
      [randomUUID(), ago(100 * DAY), times.expiresAt, times.revokedAt ?? null, count],
    );
    return rows.map((row) => row.session_id);
  }

  async function addUsedTokens(sessionId: string, count: number, usedAt: Date): Promise<void> {
    await ds.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, issued_at, used_at)
       SELECT $1, sha256(convert_to($2 || i, 'UTF8')), $3, $3 FROM generate_series(1, $4) i`,
      [sessionId, randomUUID(), usedAt, count],
    );
  }

  async function remaining(): Promise<{ sessions: string[]; tokens: number; tombstones: number }> {
    const sessions: { id: string }[] = await ds.query(`SELECT id FROM sessions ORDER BY id`);
    const [counts] = await ds.query(`SELECT (SELECT count(*) FROM refresh_tokens)::int AS tokens, (SELECT count(*) FROM session_tombstones)::int AS tombstones`);
    return { sessions: sessions.map((row) => row.id), ...counts };
  }

  /** Advisory locks held in this database, by anyone. */
  async function advisoryLocks(): Promise<number> {
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    return row.n;
  }

  it('deletes every stale row over as many bounded batches as it takes, and nothing still needed', async () => {
    const live = await addSessions(3, { expiresAt: new Date(now.getTime() + 30 * DAY) });
    await addUsedTokens(live[0], 2, ago(DAY)); // within the theft-detection retention
    // Its access tokens may still be presented: the registry needs the row.
    const [recentlyRevoked] = await addSessions(1, { expiresAt: new Date(now.getTime() + 30 * DAY), revokedAt: ago(SECOND) });
    const expired = Math.floor(2.5 * CLEANUP_BATCH_ROWS.expiredSessions);
    await addSessions(expired, { expiresAt: ago(DAY) });
    const revoked = CLEANUP_BATCH_ROWS.revokedSessions + 1;
    await addSessions(revoked, { expiresAt: new Date(now.getTime() + 30 * DAY), revokedAt: ago(DAY) });
    const used = Math.floor(2.5 * CLEANUP_BATCH_ROWS.usedTokens);
    await addUsedTokens(live[1], used, ago(20 * DAY));
    await ds.query(`INSERT INTO session_tombstones (session_id, revoked_at) VALUES ($1, $2), ($3, $4)`, [randomUUID(), ago(DAY), randomUUID(), ago(SECOND)]);

    const report = await cleanup().run(now);

    const batches = batchesFor('usedTokens', used) + batchesFor('expiredSessions', expired) + batchesFor('revokedSessions', revoked) + batchesFor('tombstones', 1) + 1;
    expect(report).toEqual({ sessions: expired + revoked, tokens: used, accountTokens: 0, batches, longestStatementMs: expect.any(Number) });
    // The expired and revoked sessions' own tokens went with them.
    expect(await remaining()).toEqual({ sessions: [...live, recentlyRevoked].sort(), tokens: 3 + 2 + 1, tombstones: 1 });
    expect(events()).toEqual([{ event: 'cleanup', ...report, ms: expect.any(Number) }]);
    expect(await advisoryLocks()).toBe(0);

    // Nothing left: one short statement of each kind, and no line.
    expect(await cleanup().run(now)).toEqual({ sessions: 0, tokens: 0, accountTokens: 0, batches: 5, longestStatementMs: expect.any(Number) });
    expect(events()).toHaveLength(1);
  });

  it('finds the rows of each statement, and of the cascade to a session’s tokens, through an index', async () => {
    const explain = async (sql: string, params: unknown[]): Promise<PlanNode[]> => {
      const [row] = await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const plan = row['QUERY PLAN'];
      const nodes: PlanNode[] = [];
      const walk = (node: PlanNode) => (nodes.push(node), node.Plans?.forEach(walk));
      walk((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
      return nodes;
    };
    const indexOf: Record<StaleRowKind, string> = {
      usedTokens: 'IDX_refresh_tokens_used_at',
      expiredSessions: 'IDX_sessions_expires_at',
      revokedSessions: 'IDX_sessions_revoked_at',
      tombstones: 'IDX_session_tombstones_revoked_at',
    };
    const runner = ds.createQueryRunner();
    try {
      // With sequential scans priced out, one left in a plan means no index serves it.
      await runner.query(`SET enable_seqscan = off`);
      for (const kind of Object.keys(STALE_ROW_DELETES) as StaleRowKind[]) {
        const nodes = await explain(STALE_ROW_DELETES[kind], [now, 1000, ago(DAY)]);
        expect({ kind, seqScans: nodes.filter((node) => node['Node Type'] === 'Seq Scan') }).toEqual({ kind, seqScans: [] });
        expect({ kind, index: nodes.find((node) => node['Index Name'])?.['Index Name'] }).toEqual({ kind, index: indexOf[kind] });
      }
      // What the foreign key's ON DELETE CASCADE runs for each session deleted.
      const cascade = await explain(`DELETE FROM ONLY refresh_tokens WHERE session_id = $1`, [randomUUID()]);
      expect(cascade.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
      expect(cascade.find((node) => node['Index Name'])?.['Index Name']).toBe('IDX_refresh_tokens_session_id');
    } finally {
      await runner.query(`RESET enable_seqscan`);
      await runner.release();
    }
  });

  (isOnPostgres ? it : it.skip)('skips the run while another instance holds the lock, and runs once it is free', async () => {
    await addSessions(3, { expiresAt: ago(DAY) });
    const other = await openTestDataSource(db);
    const holder = other.createQueryRunner();
    try {
      await holder.query(`SELECT pg_advisory_lock($1::bigint)`, [CLEANUP_LOCK_KEY]);
      expect(await cleanup().run(now)).toBeNull();
      expect((await remaining()).sessions).toHaveLength(3);
      expect(lines('debug')).toContain('cleanup skipped: another instance is running it');
      expect(events()).toEqual([]);
      await holder.query(`SELECT pg_advisory_unlock($1::bigint)`, [CLEANUP_LOCK_KEY]);
    } finally {
      await holder.release();
      await other.destroy();
    }
    expect((await cleanup().run(now))?.sessions).toBe(3);
  });

  it('lets go of the lock when the database fails mid-run, and says so in one line', async () => {
    await addSessions(3, { expiresAt: ago(DAY) });
    jest.spyOn(accountTokens, 'deleteStale').mockRejectedValue(new Error('connection terminated'));
    expect(await cleanup().run(now)).toBeNull();
    expect(lines('warn')).toEqual(['cleanup skipped: connection terminated']);
    expect(await advisoryLocks()).toBe(0);
  });

  it('stops after the statement in progress when the app shuts down, lets go of the lock, and the next run carries on', async () => {
    const [session] = await addSessions(1, { expiresAt: new Date(now.getTime() + 30 * DAY) });
    const used = Math.floor(2.5 * CLEANUP_BATCH_ROWS.usedTokens);
    await addUsedTokens(session, used, ago(20 * DAY));
    const instance = cleanup();
    let stopping: Promise<void> | undefined;
    let locksDuringRun = 0;
    const whileLocked = store.whileCleanupLocked.bind(store);
    jest.spyOn(store, 'whileCleanupLocked').mockImplementation((work: (deleteBatch: StaleRowDeleter) => Promise<unknown>) =>
      whileLocked((deleteBatch) =>
        work(async (...batch) => {
          const deleted = await deleteBatch(...batch);
          locksDuringRun = await advisoryLocks();
          stopping ??= instance.beforeApplicationShutdown();
          return deleted;
        }),
      ),
    );

    const report = (await instance.run(now)) as CleanupReport;
    await stopping;
    expect(locksDuringRun).toBe(1);
    expect(report).toMatchObject({ tokens: CLEANUP_BATCH_ROWS.usedTokens, batches: 1 });
    expect(events()).toEqual([{ event: 'cleanup', ...report, ms: expect.any(Number), stopped: true }]);
    expect(await advisoryLocks()).toBe(0);
    expect(await instance.run(now)).toBeNull();

    expect((await cleanup().run(now))?.tokens).toBe(used - CLEANUP_BATCH_ROWS.usedTokens);
  });

  it('runs 1–2 min after start-up, then hourly, and no more once shut down', async () => {
    jest.useFakeTimers();
    try {
      const instance = cleanup();
      const run = jest.spyOn(instance, 'run').mockResolvedValue(null);
      instance.onApplicationBootstrap();
      jest.advanceTimersByTime(60 * SECOND - 1);
      expect(run).not.toHaveBeenCalled();
      jest.advanceTimersByTime(60 * SECOND + 1);
      expect(run).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(HOUR);
      expect(run).toHaveBeenCalledTimes(2);
      await instance.beforeApplicationShutdown();
      jest.advanceTimersByTime(2 * HOUR);
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
