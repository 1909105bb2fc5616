import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AUTH_MIGRATIONS } from '@latchkey/auth-nest';
import { EMBEDDED_DATABASE_SUBDIR as PGLITE_SUBDIR, openEmbeddedDataSource } from '@latchkey/auth-nest/pglite';

/**
 * A fresh PGlite database takes seconds to create (initdb in WASM); a copy
 * of one already created and migrated takes a fraction of a second. The
 * template is made once per machine, keyed by the migrations' source and the
 * PGlite version, so a changed migration never runs against a stale copy.
 */
export async function seedFromPgliteTemplate(dataDir: string): Promise<void> {
  const template = await pgliteTemplate();
  cpSync(template, join(dataDir, PGLITE_SUBDIR), { recursive: true });
}

async function pgliteTemplate(): Promise<string> {
  const root = join(tmpdir(), 'latchkey-pglite-templates');
  const final = join(root, templateKey());
  if (existsSync(final)) return final;
  // Built aside and renamed into place: parallel Jest workers never see half a template.
  const scratch = join(root, `building-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(scratch, { recursive: true });
  try {
    const dataSource = await openEmbeddedDataSource(scratch);
    await dataSource.destroy();
    try {
      renameSync(join(scratch, PGLITE_SUBDIR), final);
    } catch (error) {
      // Another worker finished first: its template is as good as ours.
      if (!existsSync(final)) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return final;
}

function templateKey(): string {
  const migrations = AUTH_MIGRATIONS.map((migration) => `${migration.name}\n${migration.toString()}`).join('\n');
  return createHash('sha256').update(`${pgliteVersion()}\n${migrations}`).digest('hex').slice(0, 16);
}

/** PGlite's package.json is not exported; find it above the resolved entry point. */
function pgliteVersion(): string {
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
