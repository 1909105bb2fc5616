import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { makePrivateDirectory } from '../config/private-directory';
import { AuthDataSourceOptions, describeError, initializeAndMigrate } from '../database/data-source';
import { EMBEDDED_CONNECTION, EmbeddedConnection } from '../database/embedded-connection';

/** Where the database's own files live under DATA_DIR. */
export const EMBEDDED_DATABASE_SUBDIR = 'pgdata';

/**
 * A DataSource on the embedded PGlite database; it owns the PGlite instance
 * and closes it after the pool, or the process would never exit.
 */
export class EmbeddedDataSource extends DataSource {
  readonly [EMBEDDED_CONNECTION]: EmbeddedConnection;

  constructor(
    options: DataSourceOptions,
    readonly pglite: PGlite,
  ) {
    super(options);
    this[EMBEDDED_CONNECTION] = {
      get closed() {
        return pglite.closed;
      },
      listen: (channel, onNotify) => pglite.listen(channel, onNotify),
    };
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
 * The embedded PostgreSQL (PGlite) under `dataDir`, private to this user
 * (contract, "Storage"); not yet connected. For development and tests: one
 * process, one connection.
 */
export async function createEmbeddedDataSource(dataDir: string, options: AuthDataSourceOptions): Promise<EmbeddedDataSource> {
  const dir = join(dataDir, EMBEDDED_DATABASE_SUBDIR);
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
  return new EmbeddedDataSource({ ...options, type: 'postgres', poolSize: 1, extra: createPgConfig(pglite) }, pglite);
}

/** {@link createEmbeddedDataSource}, connected and migrated (errors name DATA_DIR). */
export async function openEmbeddedDataSource(dataDir: string, options: AuthDataSourceOptions): Promise<EmbeddedDataSource> {
  const dataSource = await createEmbeddedDataSource(dataDir, options).catch((error: unknown) => {
    throw error instanceof ConfigError ? error : new ConfigError('DATA_DIR', `cannot open the database (${describeError(error)})`);
  });
  await initializeAndMigrate(dataSource, 'DATA_DIR');
  return dataSource;
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
