/**
 * `@latchkey/auth-nest/pglite`: the embedded PostgreSQL for development and
 * tests. Needs the optional peer `@electric-sql/pglite`; the main entry never
 * loads it.
 */
import { authDataSourceOptions } from './lib/auth-data-source';
import type { AuthDataSourceOptions } from './lib/database/data-source';
import * as embedded from './lib/embedded/embedded-data-source';

export { EMBEDDED_DATABASE_SUBDIR, EmbeddedDataSource } from './lib/embedded/embedded-data-source';

/**
 * The embedded PostgreSQL (PGlite) under `dataDir`, private to this user
 * (contract, "Storage"), holding Latchkey's tables; not yet connected.
 */
export function createEmbeddedDataSource(dataDir: string, extra: Partial<AuthDataSourceOptions> = {}): Promise<embedded.EmbeddedDataSource> {
  return embedded.createEmbeddedDataSource(dataDir, authDataSourceOptions(extra));
}

/** {@link createEmbeddedDataSource}, connected and migrated (errors name DATA_DIR). */
export function openEmbeddedDataSource(dataDir: string, extra: Partial<AuthDataSourceOptions> = {}): Promise<embedded.EmbeddedDataSource> {
  return embedded.openEmbeddedDataSource(dataDir, authDataSourceOptions(extra));
}
