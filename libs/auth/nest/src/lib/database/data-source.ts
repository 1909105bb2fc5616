import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import type { ServerConfig } from '../config/auth-config';
import { ConfigError } from '../config/config-error';
import { makePrivateDirectory } from '../config/private-directory';
import { AUTH_ENTITIES, AUTH_MIGRATIONS } from '../auth-entities';

/** Short enough that a dead database gives 503 well inside the contract's 10 s. */
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 5000;

type BaseOptions = Omit<PostgresConnectionOptions, 'type'>;

export function baseDataSourceOptions(extra: Partial<BaseOptions> = {}): BaseOptions {
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

/**
 * A DataSource on the embedded PGlite database; it owns the PGlite instance
 * and closes it after the pool, or the process would never exit.
 */
export class EmbeddedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    readonly pglite: PGlite,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      if (!this.pglite.closed) await this.pglite.close();
    }
  }
}

/**
 * Opens the database the server config names (PostgreSQL at DATABASE_URL, else
 * PGlite under DATA_DIR) and runs pending migrations. Failing to reach it is a
 * {@link ConfigError} so start-up stops with one line naming the variable.
 */
export async function openDataSource(server: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>, options: Partial<BaseOptions> = {}): Promise<DataSource> {
  const base = baseDataSourceOptions(options);
  const dataSource = server.databaseUrl ? postgresDataSource(server.databaseUrl, base) : await embeddedDataSource(server.dataDir, base);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    const variable = server.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
    throw new ConfigError(variable, `cannot open the database (${describeError(error)})`);
  }
}

function postgresDataSource(url: string, base: BaseOptions): DataSource {
  return new DataSource({
    ...base,
    type: 'postgres',
    url,
    poolSize: 10,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: {
      // Client-side limit: a query on a half-dead connection fails instead of hanging.
      query_timeout: QUERY_TIMEOUT_MS,
      statement_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    },
  });
}

async function embeddedDataSource(dataDir: string, base: BaseOptions): Promise<DataSource> {
  const dir = join(dataDir, 'pgdata');
  keepPrivate(dataDir, dir);
  const pglite = await PGlite.create(dir);
  // initdb's files come out 0666 and each start rewrites pg_internal.init 0644,
  // whatever the umask (emscripten chmods each file it creates); initdb's folders
  // are 0777 less the umask. What PostgreSQL writes later (relations, WAL) it
  // asks 0600, in folders that are 0700 from here on.
  try {
    keepPrivate(dataDir, dir);
  } catch (error) {
    await pglite.close();
    throw error;
  }
  // PGlite is a single connection: a pool of one keeps every query on it in order.
  return new EmbeddedDataSource({ ...base, type: 'postgres', poolSize: 1, extra: createPgConfig(pglite) }, pglite);
}

/** Contract, "Storage": DATA_DIR and the database in it are this user's alone. */
function keepPrivate(dataDir: string, databaseDir: string): void {
  try {
    makePrivateDirectory(dataDir, { withContents: false });
    makePrivateDirectory(databaseDir);
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot make the embedded database private to this user (${describeError(error)})`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describeError).join('; ');
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message || String(code);
}
