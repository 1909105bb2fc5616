// Spec support for this lib's own database specs: never built into the package.
// (Suites outside the lib use @latchkey/auth-nest-testing; this lib cannot, it would be a cycle.)
import { createTestDatabase, TestDatabase, testEnvironment } from '@latchkey/server-testing';
import type { DataSource } from 'typeorm';
import type { AuthConfig } from '../lib/config/auth-config';
import type { Environment } from '../lib/config/env-reader';
import { loadAuthConfig } from '../lib/config/load-config';
import { openPostgresDataSource } from '../lib/auth-data-source';
import { openEmbeddedDataSource } from '../pglite';

export { createTestDatabase };
export type { TestDatabase };

export function testAuthConfig(db: TestDatabase, overrides: Environment = {}): AuthConfig {
  return loadAuthConfig({ ...testEnvironment(db), ...overrides });
}

export function openTestDataSource(db: TestDatabase): Promise<DataSource> {
  return db.databaseUrl ? openPostgresDataSource(db.databaseUrl) : openEmbeddedDataSource(db.dataDir);
}
