import { createHash, randomBytes } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDirectory } from '../config/private-directory';
import type { AuthDataSourceOptions } from '../database/data-source';

/** Bumped whenever what a template holds, or how it is made, changes. */
const TEMPLATE_FORMAT = 1;
const TEMPLATE_DATABASE = 'pgdata';
/** PostgreSQL's `version()` (it names the PGlite build) of the server that made the template. */
const TEMPLATE_SERVER_VERSION = 'server-version';
/** A ready copy of a template's database, taken by renaming it: no file to write at start. */
const SPARE_SUFFIX = '.spare';
/** Templates of other migrations kept (other branches, other checkouts); older ones are removed. */
const OTHER_TEMPLATES_KEPT = 3;
/** Spares are copied once the server is up, not while it starts. */
const SPARE_DELAY_MS = 2000;

/**
 * Where migrated templates are kept unless told otherwise: the user's cache
 * (`$XDG_CACHE_HOME`, else `~/.cache`), private to the user as DATA_DIR is.
 * Deleting it is always safe.
 */
export function defaultTemplateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'latchkey', 'pglite-templates');
}

/**
 * What a template's schema follows from: the migrations (names and code) and
 * where TypeORM keeps their table. Undefined, so no template, when the
 * migrations are globs (unknown before loading them) or the schema also
 * follows the entities (`synchronize`).
 */
export function templateKey(options: AuthDataSourceOptions): string | undefined {
  const migrations = Array.isArray(options.migrations) ? options.migrations : [];
  if (options.synchronize || options.dropSchema) return undefined;
  if (migrations.length === 0 || migrations.some((migration) => typeof migration !== 'function')) return undefined;
  const hash = createHash('sha256').update(JSON.stringify([TEMPLATE_FORMAT, options.migrationsTableName ?? null, options.schema ?? null]));
  try {
    for (const migration of migrations as (new () => { name?: string })[]) {
      hash.update(`\n${new migration().name ?? migration.name}\n${migration.toString()}`);
    }
  } catch {
    return undefined; // a migration that needs constructor arguments: no template
  }
  return hash.digest('hex').slice(0, 24);
}

/** A database directory made from a template, and what to check before trusting it. */
export interface SeededDatabase {
  readonly root: string;
  readonly key: string;
  /** `version()` of the server that made it; a different PGlite must not start from it. */
  readonly serverVersion: string;
}

/**
 * Fills the absent or empty `databaseDir` from the template for `key` under
 * `root`: its spare renamed into place when there is one on the same file
 * system, else a copy. First makes the template with `build` (initdb and the
 * migrations, in the folder it is given, resolving to `version()`) when there
 * is none. Undefined, and `databaseDir` as it was, when no template can be
 * had: the caller starts from initdb as without one.
 */
export async function seedFromTemplate(
  databaseDir: string,
  root: string,
  key: string,
  build: (databaseDir: string) => Promise<string>,
): Promise<SeededDatabase | undefined> {
  if (!isEmptyOrAbsent(databaseDir)) return undefined;
  const template = existingTemplate(root, key) ?? (await buildTemplate(root, key, build));
  if (!template) return undefined;
  let serverVersion: string;
  try {
    serverVersion = readFileSync(join(template, TEMPLATE_SERVER_VERSION), 'utf8');
    utimesSync(template, new Date(), new Date()); // in use: not among the oldest to prune
  } catch {
    return undefined;
  }
  if (takeSpare(root, key, databaseDir)) return { root, key, serverVersion };
  // Copied aside, then renamed into place: an interrupted copy never looks like a database.
  const staging = `${databaseDir}.${randomBytes(6).toString('hex')}`;
  try {
    mkdirSync(staging, { mode: 0o700 });
    cpSync(join(template, TEMPLATE_DATABASE), staging, { recursive: true, errorOnExist: true, force: false });
    rmSync(databaseDir, { recursive: true, force: true }); // empty, or absent
    renameSync(staging, databaseDir);
    return { root, key, serverVersion };
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
}

/** Removes a template (and its spare) that gave an unusable database; the next fresh start makes a new one. */
export function discardTemplate({ root, key }: Pick<SeededDatabase, 'root' | 'key'>): void {
  rmSync(join(root, key + SPARE_SUFFIX), { recursive: true, force: true });
  rmSync(join(root, key), { recursive: true, force: true });
}

/** Background work that {@link stop} abandons, removing what it had written. */
export interface BackgroundCopy {
  stop(): Promise<void>;
}

/**
 * Copies the template for `key` into its spare after `delayMs`, unless a
 * spare is already there; the timer alone never keeps the process alive.
 */
export function makeSpareLater(root: string, key: string, delayMs = SPARE_DELAY_MS): BackgroundCopy {
  let stopped = false;
  let copying: Promise<void> | undefined;
  const timer = setTimeout(() => {
    copying = makeSpare(root, key, () => stopped).catch(() => undefined);
  }, delayMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await copying;
    },
  };
}

/** Copies the template for `key` into its spare, unless there is one already (or no template). */
export async function makeSpare(root: string, key: string, isStopped: () => boolean = () => false): Promise<void> {
  const template = existingTemplate(root, key);
  if (!template || isOwnPrivateDirectory(join(root, key + SPARE_SUFFIX))) return;
  const building = workDirectory(root, key, 'spare');
  try {
    removeAbandoned(root);
    await copyTree(join(template, TEMPLATE_DATABASE), building, isStopped);
    // Fails when another process made one first: as good as ours.
    await rename(building, join(root, key + SPARE_SUFFIX));
  } catch {
    // stopped, or out of space: the next fresh start copies instead
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

function takeSpare(root: string, key: string, databaseDir: string): boolean {
  const spare = join(root, key + SPARE_SUFFIX);
  if (!isOwnPrivateDirectory(spare)) return false;
  try {
    // Atomic: of two processes, one gets it; the other copies. Replaces the empty folder.
    renameSync(spare, databaseDir);
    return true;
  } catch {
    return false; // taken meanwhile, or DATA_DIR is on another file system
  }
}

function existingTemplate(root: string, key: string): string | undefined {
  const template = join(root, key);
  return isOwnPrivateDirectory(root) && isOwnPrivateDirectory(template) ? template : undefined;
}

async function buildTemplate(root: string, key: string, build: (databaseDir: string) => Promise<string>): Promise<string | undefined> {
  const template = join(root, key);
  let building: string | undefined;
  try {
    makePrivateDirectory(root, { withContents: false });
    if (!isOwnPrivateDirectory(root)) return undefined;
    if (exists(template)) {
      // Ours but opened up to others: no longer to be trusted. Someone else's: left alone, and unused.
      if (!isOwn(template)) return undefined;
      discardTemplate({ root, key });
    }
    removeAbandoned(root);
    pruneTemplates(root);
    building = workDirectory(root, key, 'template');
    mkdirSync(join(building, TEMPLATE_DATABASE), { recursive: true, mode: 0o700 });
    const serverVersion = await build(join(building, TEMPLATE_DATABASE));
    writeFileSync(join(building, TEMPLATE_SERVER_VERSION), serverVersion, { mode: 0o600 });
    makePrivateDirectory(building);
    try {
      renameSync(building, template);
    } catch (error) {
      // Another process made it first: its template is as good as ours.
      if (!isOwnPrivateDirectory(template)) throw error;
    }
    return template;
  } catch {
    return undefined;
  } finally {
    if (building) rmSync(building, { recursive: true, force: true });
  }
}

/** Where a template or spare is made before it is renamed into place; named after this process. */
function workDirectory(root: string, key: string, kind: 'template' | 'spare'): string {
  return join(root, `.${key}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** What killed processes left half made. */
function removeAbandoned(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = /^\..+\.(?:template|spare)-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** Templates (with their spares) of migrations other than the most recently used few. */
function pruneTemplates(root: string): void {
  const templates = readdirSync(root)
    .filter((name) => /^[0-9a-f]+$/.test(name))
    .map((key) => ({ key, usedAt: statSync(join(root, key)).mtimeMs }))
    .sort((a, b) => b.usedAt - a.usedAt);
  for (const { key } of templates.slice(OTHER_TEMPLATES_KEPT)) discardTemplate({ root, key });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A copy made one file at a time, so that it can stop between two. */
async function copyTree(from: string, to: string, isStopped: () => boolean): Promise<void> {
  await mkdir(to, { mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (isStopped()) throw new Error('stopped');
    if (entry.isDirectory()) await copyTree(join(from, entry.name), join(to, entry.name), isStopped);
    else if (entry.isFile()) await copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Ours alone (contract, "Storage"): a template anyone else could write to could hand us any database. */
function isOwnPrivateDirectory(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && isOwn(path) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function isOwn(path: string): boolean {
  const uid = process.getuid?.();
  return uid === undefined || lstatSync(path).uid === uid;
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function isEmptyOrAbsent(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
