// Spec support for this lib's own database specs: never built into the package.
// (Suites outside the lib use @latchkey/auth-nest-testing; this lib cannot, it would be a cycle.)
import { createTestDatabase, TestDatabase, testEnvironment } from '@latchkey/server-testing';
import type { DataSource } from 'typeorm';
import type { LatchkeyConfig } from '../lib/config/auth-config';
import type { Environment } from '../lib/config/env-reader';
import { loadConfig } from '../lib/config/load-config';
import { openPostgresDataSource } from '../lib/auth-data-source';
import { openEmbeddedDataSource } from '../pglite';

export { createTestDatabase };
export type { TestDatabase };

export function testConfig(db: TestDatabase, overrides: Environment = {}): LatchkeyConfig {
  return loadConfig({ ...testEnvironment(db), ...overrides });
}

export function openTestDataSource(db: TestDatabase): Promise<DataSource> {
  return db.databaseUrl ? openPostgresDataSource(db.databaseUrl) : openEmbeddedDataSource(db.dataDir);
}
