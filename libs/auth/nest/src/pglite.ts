/**
 * `@latchkey/auth-nest/pglite`: the embedded PostgreSQL for development and
 * tests. Needs the optional peer `@electric-sql/pglite`; the main entry never
 * loads it.
 */
import { authDataSourceOptions } from './lib/auth-data-source';
import type { AuthDataSourceOptions } from './lib/database/data-source';
import * as embedded from './lib/embedded/embedded-data-source';

export { EMBEDDED_DATABASE_SUBDIR, EmbeddedDataSource } from './lib/embedded/embedded-data-source';
export type { EmbeddedDatabaseOptions } from './lib/embedded/embedded-data-source';
export { defaultTemplateRoot } from './lib/embedded/embedded-template';

/**
 * The embedded PostgreSQL (PGlite) under `dataDir`, private to this user
 * (contract, "Storage"), holding Latchkey's tables; not yet connected. A
 * fresh `dataDir` starts as a copy of a migrated template (see
 * {@link embedded.EmbeddedDatabaseOptions}).
 */
export function createEmbeddedDataSource(
  dataDir: string,
  extra: Partial<AuthDataSourceOptions> = {},
  options: embedded.EmbeddedDatabaseOptions = {},
): Promise<embedded.EmbeddedDataSource> {
  return embedded.createEmbeddedDataSource(dataDir, authDataSourceOptions(extra), options);
}

/** {@link createEmbeddedDataSource}, connected and migrated (errors name DATA_DIR). */
export function openEmbeddedDataSource(
  dataDir: string,
  extra: Partial<AuthDataSourceOptions> = {},
  options: embedded.EmbeddedDatabaseOptions = {},
): Promise<embedded.EmbeddedDataSource> {
  return embedded.openEmbeddedDataSource(dataDir, authDataSourceOptions(extra), options);
}
