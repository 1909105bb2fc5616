import { createTestDatabase as createEmptyTestDatabase, TestDatabase, testEnvironment } from '@latchkey/server-testing';
import { AuthConfig, Environment, loadAuthConfig, openPostgresDataSource } from '@latchkey/auth-nest';
import { openEmbeddedDataSource } from '@latchkey/auth-nest/pglite';
import type { DataSource } from 'typeorm';
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

/** The auth configuration a test runs with: test defaults, then `overrides`. */
export function testAuthConfig(db: TestDatabase, overrides: Environment = {}): AuthConfig {
  return loadAuthConfig({ ...testEnvironment(db), ...overrides });
}

/** The test's database, opened and migrated as the API opens it. */
export function openTestDataSource(db: TestDatabase): Promise<DataSource> {
  return db.databaseUrl ? openPostgresDataSource(db.databaseUrl) : openEmbeddedDataSource(db.dataDir);
}
