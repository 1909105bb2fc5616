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
  return server.databaseUrl ? openPostgresDataSource(server.databaseUrl) : openEmbeddedDataSource(server.dataDir);
}
