import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../lib/config/load-config';
import type { LatchkeyConfig } from '../lib/config/auth-config';
import type { Environment } from '../lib/config/env-reader';
import { seedFromPgliteTemplate } from './pglite-template';

/** Prefix of per-test databases; CI drops any that a crashed run left behind. */
export const TEST_DATABASE_PREFIX = 'lk_test_';

export interface TestDatabase {
  readonly kind: 'postgres' | 'pglite';
  /** Set for PostgreSQL: a database of this test file's own. */
  readonly databaseUrl: string | undefined;
  /** Always a fresh directory (PGlite's files, the dev JWT secret). */
  readonly dataDir: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * Start PGlite from an already migrated copy (a fraction of a second instead
   * of initdb's seconds). Off where the test is about migrating an empty database.
   */
  migrated?: boolean;
}

/**
 * A fresh database for one test file: a new database on the server at
 * `DATABASE_URL` when it is set (CI), otherwise a new embedded PGlite directory.
 */
export async function createTestDatabase(env: Environment = process.env, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-test-'));
  const serverUrl = env['DATABASE_URL'];
  if (!serverUrl) {
    if (options.migrated) await seedFromPgliteTemplate(dataDir);
    return { kind: 'pglite', databaseUrl: undefined, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `${TEST_DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The configuration a test server runs with: test defaults, then `overrides`. */
export function testConfig(db: TestDatabase, overrides: Environment = {}): LatchkeyConfig {
  return loadConfig({
    ENV: 'test',
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.databaseUrl,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    ...overrides,
  });
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
