import { DataSource } from 'typeorm';
import { AUTH_ENTITIES, AUTH_MIGRATIONS } from './auth-entities';
import { AuthDataSourceOptions, CONNECT_TIMEOUT_MS, initializeAndMigrate, QUERY_TIMEOUT_MS } from './database/data-source';

/**
 * What any DataSource holding Latchkey's tables needs: its entities and
 * migrations, never `synchronize`. A host with its own connection spreads
 * `AUTH_ENTITIES` and `AUTH_MIGRATIONS` into it instead.
 */
export function authDataSourceOptions(extra: Partial<AuthDataSourceOptions> = {}): AuthDataSourceOptions {
  return {
    entities: AUTH_ENTITIES,
    migrations: AUTH_MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built in since PostgreSQL 13; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    ...extra,
  };
}

/** PostgreSQL at `url`, with client-side limits so a dead server gives 503 instead of a hang. */
export function createPostgresDataSource(url: string, extra: Partial<AuthDataSourceOptions> = {}): DataSource {
  return new DataSource({
    ...authDataSourceOptions(extra),
    type: 'postgres',
    url,
    poolSize: extra.poolSize ?? 10,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: {
      // Client-side limit: a query on a half-dead connection fails instead of hanging.
      query_timeout: QUERY_TIMEOUT_MS,
      statement_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      ...extra.extra,
    },
  });
}

/** {@link createPostgresDataSource}, connected and migrated (errors name DATABASE_URL). */
export function openPostgresDataSource(url: string, extra: Partial<AuthDataSourceOptions> = {}): Promise<DataSource> {
  return initializeAndMigrate(createPostgresDataSource(url, extra), 'DATABASE_URL');
}

