import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { makePrivateDirectory } from '../config/private-directory';
import { AuthDataSourceOptions, describeError, initializeAndMigrate } from '../database/data-source';
import { EMBEDDED_CONNECTION, EmbeddedConnection } from '../database/embedded-connection';
import { BackgroundCopy, defaultTemplateRoot, discardTemplate, makeSpareLater, SeededDatabase, seedFromTemplate, templateKey } from './embedded-template';

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
    /** Stopped before closing: nothing of it outlives the database. */
    private readonly background?: BackgroundCopy,
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
    await this.background?.stop();
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      if (!this.pglite.closed) await this.pglite.close();
    }
  }
}

/** How the embedded database is made; see {@link createEmbeddedDataSource}. */
export interface EmbeddedDatabaseOptions {
  /**
   * Where migrated templates are kept, one per set of migrations, made the
   * first time one is missing: a fresh DATA_DIR then starts as a copy (or
   * takes the ready spare copy, renamed into place) instead of initdb and
   * every migration, which take seconds and leave hundreds of MB the process
   * keeps. The migrations still run on it: a no-op. Default
   * {@link defaultTemplateRoot}; `false`: always initdb.
   *
   * @example { templateRoot: join(tmpdir(), 'latchkey-templates') }
   */
  readonly templateRoot?: string | false;
}

/**
 * PostgreSQL zeroes its shared buffers at start, so all of initdb's 128 MB
 * stays resident: half the server's memory, for tables of a few MB (8 MB
 * holds them many times over; the OS caches the files behind it). A start
 * parameter, not postgresql.conf, so the data directory stays as initdb
 * made it.
 */
const PGLITE_OPTIONS = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'] };

/**
 * The embedded PostgreSQL (PGlite) under `dataDir`, private to this user
 * (contract, "Storage"); not yet connected. For development and tests: one
 * process, one connection. A fresh `dataDir` starts from a migrated template
 * (see {@link EmbeddedDatabaseOptions.templateRoot}); a template that will
 * not start, or that another PGlite made, is dropped for initdb.
 */
export async function createEmbeddedDataSource(
  dataDir: string,
  options: AuthDataSourceOptions,
  embedded: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDataSource> {
  return (await createSeeded(dataDir, options, embedded)).dataSource;
}

/** {@link createEmbeddedDataSource}, connected and migrated (errors name DATA_DIR). */
export async function openEmbeddedDataSource(
  dataDir: string,
  options: AuthDataSourceOptions,
  embedded: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDataSource> {
  const { dataSource, seeded } = await createSeeded(dataDir, options, embedded).catch((error: unknown) => {
    throw error instanceof ConfigError ? error : new ConfigError('DATA_DIR', `cannot open the database (${describeError(error)})`);
  });
  try {
    await initializeAndMigrate(dataSource, 'DATA_DIR');
  } catch (error) {
    if (!seeded) throw error;
    // The copy starts but does not migrate: the template is broken. Nothing of the user's is in it yet.
    discardTemplate(seeded);
    rmSync(join(dataDir, EMBEDDED_DATABASE_SUBDIR), { recursive: true, force: true });
    return openEmbeddedDataSource(dataDir, options, { ...embedded, templateRoot: false });
  }
  return dataSource;
}

async function createSeeded(
  dataDir: string,
  options: AuthDataSourceOptions,
  { templateRoot = defaultTemplateRoot() }: EmbeddedDatabaseOptions,
): Promise<{ dataSource: EmbeddedDataSource; seeded?: SeededDatabase }> {
  const dir = join(dataDir, EMBEDDED_DATABASE_SUBDIR);
  keepPrivate(dataDir, dir);
  const key = templateRoot === false ? undefined : templateKey(options);
  let seeded = key && templateRoot !== false ? await seedFromTemplate(dir, templateRoot, key, (into) => migrateInto(into, options)) : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir, PGLITE_OPTIONS);
    if (seeded && (await serverVersion(pglite)) !== seeded.serverVersion) {
      await pglite.close();
      throw new Error('template made by another PGlite');
    }
  } catch (error) {
    if (!seeded) throw error;
    // A broken or foreign template: start over from initdb, as without one.
    discardTemplate(seeded);
    seeded = undefined;
    rmSync(dir, { recursive: true, force: true });
    keepPrivate(dataDir, dir);
    pglite = await PGlite.create(dir, PGLITE_OPTIONS);
  }
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
  // The next fresh DATA_DIR takes a spare by renaming it, instead of writing a thousand files.
  const background = seeded ? makeSpareLater(seeded.root, seeded.key) : undefined;
  return { dataSource: embeddedDataSource(options, pglite, background), seeded };
}

/** A template's contents: initdb and every migration in `databaseDir`, closed cleanly. */
async function migrateInto(databaseDir: string, options: AuthDataSourceOptions): Promise<string> {
  const pglite = await PGlite.create(databaseDir, PGLITE_OPTIONS);
  const dataSource = embeddedDataSource(options, pglite);
  try {
    await initializeAndMigrate(dataSource, 'DATA_DIR');
    return await serverVersion(pglite);
  } finally {
    await dataSource.destroy();
  }
}

function embeddedDataSource(options: AuthDataSourceOptions, pglite: PGlite, background?: BackgroundCopy): EmbeddedDataSource {
  // PGlite is a single connection: a pool of one keeps every query on it in order.
  return new EmbeddedDataSource({ ...options, type: 'postgres', poolSize: 1, extra: createPgConfig(pglite) }, pglite, background);
}

/** Names the PGlite build too: a template from another one is not used. */
async function serverVersion(pglite: PGlite): Promise<string> {
  return (await pglite.query<{ version: string }>('SELECT version()')).rows[0].version;
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
