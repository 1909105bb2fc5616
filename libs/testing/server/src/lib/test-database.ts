import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Prefix of per-test databases; CI drops any that a crashed run left behind. */
export const TEST_DATABASE_PREFIX = 'lk_test_';

export interface TestDatabase {
  readonly kind: 'postgres' | 'pglite';
  /** Set for PostgreSQL: a database of this test's own. */
  readonly databaseUrl: string | undefined;
  /** Always a fresh directory (PGlite's files, the dev JWT secret). */
  readonly dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database: a new database on the server at `serverUrl`
 * (DATABASE_URL in CI), or else a new directory for the embedded PGlite.
 */
export async function createTestDatabase(serverUrl: string | undefined = process.env['DATABASE_URL']): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-test-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (!serverUrl) return { kind: 'pglite', databaseUrl: undefined, dataDir, drop: removeDataDir };

  const name = `${TEST_DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await removeDataDir();
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A signing secret long enough for every environment; tests only. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** The environment a test server runs with on `db` (ENV=test), before the test's own overrides. */
export function testEnvironment(db: TestDatabase): Record<string, string | undefined> {
  return { ENV: 'test', DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, JWT_SECRET: TEST_JWT_SECRET };
}
