import { DataSource, DataSourceOptions } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { AUTH_ENTITIES, AUTH_MIGRATIONS } from '../auth-entities';

/** Short enough that a dead database gives 503 well inside the contract's 10 s. */
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 5000;

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
/** TypeORM's PostgreSQL options without `type`, as Latchkey's own DataSources take them. */
export type AuthDataSourceOptions = Omit<PostgresDataSourceOptions, 'type'>;

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

/**
 * Connects and runs pending migrations. Failing is a {@link ConfigError}
 * naming `variable` (the setting that points at the database), so start-up
 * stops with one line; the DataSource is closed again.
 */
export async function initializeAndMigrate(dataSource: DataSource, variable: string): Promise<DataSource> {
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw new ConfigError(variable, `cannot open the database (${describeError(error)})`);
  }
}

/** {@link createPostgresDataSource}, connected and migrated (errors name DATABASE_URL). */
export function openPostgresDataSource(url: string, extra: Partial<AuthDataSourceOptions> = {}): Promise<DataSource> {
  return initializeAndMigrate(createPostgresDataSource(url, extra), 'DATABASE_URL');
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describeError).join('; ');
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message || String(code);
}
