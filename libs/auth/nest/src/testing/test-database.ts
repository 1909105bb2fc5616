import { createTestDatabase as createEmptyTestDatabase, TestDatabase } from '@latchkey/server-testing';
import { loadConfig } from '../lib/config/load-config';
import type { LatchkeyConfig } from '../lib/config/auth-config';
import type { Environment } from '../lib/config/env-reader';
import { seedFromPgliteTemplate } from './pglite-template';

export type { TestDatabase };

export interface TestDatabaseOptions {
  /**
   * Start PGlite from an already migrated copy (a fraction of a second instead
   * of initdb's seconds). Off where the test is about migrating an empty database.
   */
  migrated?: boolean;
}

/** A fresh database for one test file (see @latchkey/server-testing), optionally pre-migrated. */
export async function createTestDatabase(env: Environment = process.env, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const db = await createEmptyTestDatabase(env['DATABASE_URL']);
  if (db.kind === 'pglite' && options.migrated) await seedFromPgliteTemplate(db.dataDir);
  return db;
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
