import { setFlagsFromString } from 'node:v8';
import { openPostgresDataSource } from '@latchkey/auth-nest';
import { openEmbeddedDataSource } from '@latchkey/auth-nest/pglite';
import type { DataSource } from 'typeorm';
import type { ServerConfig } from './config/api-config';

/**
 * The database this server runs on, opened and migrated: PostgreSQL at
 * DATABASE_URL, else the embedded PGlite under DATA_DIR. Failing is a
 * ConfigError naming the variable.
 */
export function openDataSource(server: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): Promise<DataSource> {
  if (server.databaseUrl) return openPostgresDataSource(server.databaseUrl);
  compileWebAssemblyBaselineOnly();
  return openEmbeddedDataSource(server.dataDir);
}

/**
 * PGlite is 9 MB of WebAssembly. V8 compiles what runs with its baseline
 * compiler, then recompiles the hot part with its optimising one in the
 * background and keeps both: ~60 MB of a 260 MB server, and no faster on
 * queries this small (measured: same CPU time per query). Process-wide, so
 * only when this server runs PGlite, and before PGlite's module is compiled.
 */
function compileWebAssemblyBaselineOnly(): void {
  setFlagsFromString('--liftoff-only');
}
