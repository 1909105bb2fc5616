import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Same naming as the API's test databases (`lk_test_<ms>_<hex>`), so CI's clean-up drops any
 * that a crashed run leaves behind. Not imported from @latchkey/auth-nest/testing: this
 * project is on the web side of the module boundaries.
 */
const TEST_DATABASE_PREFIX = 'lk_test_';

export interface TestDatabase {
  /** Set when DATABASE_URL points at a server: a database of this run's own. */
  readonly databaseUrl: string | undefined;
  /** Always fresh: PGlite's files when there is no server, and the dev JWT secret. */
  readonly dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl = process.env['DATABASE_URL']): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-e2e-data-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (!serverUrl) return { databaseUrl: undefined, dataDir, drop: removeDataDir };

  const name = `${TEST_DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
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
