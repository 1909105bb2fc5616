import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AUTH_MIGRATIONS } from '../auth-entities';
import { authDataSourceOptions } from '../auth-data-source';
import { makePrivateDirectory } from '../config/private-directory';
import { createEmbeddedDataSource, EMBEDDED_DATABASE_SUBDIR, openEmbeddedDataSource } from '../../pglite';
import { makeSpare, templateKey } from './embedded-template';
import { widerThanPrivate } from '../../testing/file-modes';

/** Everything a migrated database's behaviour follows from, as PostgreSQL describes it. */
async function schemaOf(dataSource: DataSource) {
  const q = (sql: string) => dataSource.query(sql) as Promise<Record<string, unknown>[]>;
  return {
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    indexes: await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
    constraints: await q(`SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    functions: await q(`SELECT proname, pg_get_functiondef(oid) AS def FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
    triggers: await q(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`),
    extensions: await q(`SELECT extname, extversion FROM pg_extension ORDER BY 1`),
    database: await q(`SELECT datname, pg_encoding_to_char(encoding) AS encoding, datcollate, datctype FROM pg_database ORDER BY 1`),
    migrations: await q(`SELECT id, timestamp, name FROM migrations ORDER BY id`),
  };
}

/** Made by initdb: its own; copied from a template: the template's. */
async function systemIdOf(dataSource: DataSource): Promise<string> {
  return ((await dataSource.query(`SELECT system_identifier::text AS id FROM pg_control_system()`)) as { id: string }[])[0].id;
}


async function waitFor(condition: () => boolean, ms = 20_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const KEY = templateKey(authDataSourceOptions()) as string;

describe('a fresh DATA_DIR from a migrated template', () => {
  let work: string;
  let umask: number;
  /** The reference: made by initdb and every migration, as without templates. */
  let initdb: { schema: Awaited<ReturnType<typeof schemaOf>>; systemId: string };
  /** The template root every test shares, and the system identifier of its template's copies. */
  let templates: string;
  let templateSystemId: string;
  let hadTemplateBefore: boolean;

  const dataDir = (name: string) => join(work, name, '.data');
  /** Opens, reads what a test compares, closes. */
  async function openAndDescribe(dir: string, templateRoot: string | false, extra = {}) {
    const dataSource = await openEmbeddedDataSource(dir, extra, { templateRoot });
    try {
      return { schema: await schemaOf(dataSource), systemId: await systemIdOf(dataSource) };
    } finally {
      await dataSource.destroy();
    }
  }
  /** A root holding a copy of the shared template, for a test to spoil. */
  function copyOfTemplates(name: string): string {
    const root = join(work, name);
    cpSync(join(templates, KEY), join(root, KEY), { recursive: true });
    makePrivateDirectory(root);
    return root;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lk-template-'));
    // The common default, under which folders come out 0755 unless we say otherwise.
    umask = process.umask(0o022);
    initdb = await openAndDescribe(dataDir('initdb'), false);
    templates = join(work, 'templates');
    hadTemplateBefore = existsSync(join(templates, KEY));
    templateSystemId = (await openAndDescribe(dataDir('first'), templates)).systemId;
  });
  afterAll(() => {
    process.umask(umask);
    rmSync(work, { recursive: true, force: true });
  });

  it('is made on the first fresh start; later ones copy it: the same schema and migrations table as initdb', async () => {
    expect(hadTemplateBefore).toBe(false);
    expect(readdirSync(templates)).toEqual([KEY]);

    const copy = await openAndDescribe(dataDir('copy'), templates);
    expect(copy.systemId).toBe(templateSystemId); // a copy, not a second initdb
    expect(copy.systemId).not.toBe(initdb.systemId);
    expect(copy.schema).toEqual(initdb.schema);
    expect(copy.schema.migrations.map((m) => m['name'])).toEqual(AUTH_MIGRATIONS.map((m) => new m().name));
  });

  it('is private to the user, as is every DATA_DIR made from it', async () => {
    const dir = dataDir('private');
    const dataSource = await openEmbeddedDataSource(dir, {}, { templateRoot: templates });
    try {
      expect(await systemIdOf(dataSource)).toBe(templateSystemId);
      await dataSource.query(`CREATE TABLE probe AS SELECT g AS n FROM generate_series(1, 50000) g`);
      await dataSource.query(`CHECKPOINT`);
      expect(widerThanPrivate(dir)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
    expect(widerThanPrivate(dir)).toEqual([]);
    expect(widerThanPrivate(templates)).toEqual([]);
  });

  it('keeps a spare copy, taken by renaming it, and made again in the background', async () => {
    await makeSpare(templates, KEY);
    const spare = join(templates, `${KEY}.spare`);
    expect(existsSync(spare)).toBe(true);

    const dir = dataDir('spare');
    const dataSource = await openEmbeddedDataSource(dir, {}, { templateRoot: templates });
    try {
      expect(existsSync(spare)).toBe(false); // it is now this DATA_DIR's database
      expect(await systemIdOf(dataSource)).toBe(templateSystemId);
      expect(await schemaOf(dataSource)).toEqual(initdb.schema);
      await waitFor(() => existsSync(spare));
    } finally {
      await dataSource.destroy();
    }
    expect(widerThanPrivate(dir)).toEqual([]);
    expect(widerThanPrivate(templates)).toEqual([]);
    expect(readdirSync(templates).sort()).toEqual([KEY, `${KEY}.spare`]);
  });

  it('is not used for other migrations: a template made before the last one is left aside', async () => {
    const root = join(work, 'older-migrations');
    const older = await openAndDescribe(dataDir('older'), root, { migrations: AUTH_MIGRATIONS.slice(0, -1) });
    expect(older.schema.migrations).toHaveLength(AUTH_MIGRATIONS.length - 1);

    const current = await openAndDescribe(dataDir('current'), root);
    expect(current.systemId).not.toBe(older.systemId);
    expect(current.schema).toEqual(initdb.schema);
    expect(readdirSync(root).filter((name) => !name.startsWith('.') && !name.endsWith('.spare'))).toHaveLength(2);
  });

  it('migrates a copy that lacks migrations, as it would any database', async () => {
    // A template under the right name that holds no migrations: initdb only.
    const root = join(work, 'unmigrated');
    const bare = await createEmbeddedDataSource(join(work, 'bare'), {}, { templateRoot: false });
    const version = ((await bare.pglite.query<{ version: string }>('SELECT version()')).rows[0]).version;
    await bare.destroy();
    cpSync(join(work, 'bare', EMBEDDED_DATABASE_SUBDIR), join(root, KEY, 'pgdata'), { recursive: true });
    writeFileSync(join(root, KEY, 'server-version'), version);
    makePrivateDirectory(root);

    const migrated = await openAndDescribe(dataDir('on-top'), root);
    expect(migrated.schema).toEqual(initdb.schema);
  });

  it('falls back to initdb when the template is corrupt, and drops it', async () => {
    const root = copyOfTemplates('corrupt');
    writeFileSync(join(root, KEY, 'pgdata', 'global', 'pg_control'), 'not a control file');

    const opened = await openAndDescribe(dataDir('after-corrupt'), root);
    expect(opened.schema).toEqual(initdb.schema);
    expect(opened.systemId).not.toBe(templateSystemId);
    expect(existsSync(join(root, KEY))).toBe(false);
  });

  it('falls back to initdb for a template another PGlite made', async () => {
    const root = copyOfTemplates('foreign');
    writeFileSync(join(root, KEY, 'server-version'), 'PostgreSQL 17.5 (PGlite 0.3.0) on wasm32-unknown-emscripten');

    const opened = await openAndDescribe(dataDir('after-foreign'), root);
    expect(opened.schema).toEqual(initdb.schema);
    expect(opened.systemId).not.toBe(templateSystemId);
  });

  it('does not use a template others could have written to; makes a new one', async () => {
    const root = copyOfTemplates('opened-up');
    chmodSync(join(root, KEY), 0o777);

    const opened = await openAndDescribe(dataDir('after-opened-up'), root);
    expect(opened.schema).toEqual(initdb.schema);
    expect(opened.systemId).not.toBe(templateSystemId);
    expect(widerThanPrivate(root)).toEqual([]);
    expect(existsSync(join(root, KEY))).toBe(true);
  });

  it('is not needed: without one, or where none can be kept, the database is made by initdb', async () => {
    const blocked = join(work, 'a-file');
    writeFileSync(blocked, '');
    const opened = await openAndDescribe(dataDir('no-template'), join(blocked, 'templates'));
    expect(opened.schema).toEqual(initdb.schema);
    expect(opened.systemId).not.toBe(templateSystemId);
  });
});
