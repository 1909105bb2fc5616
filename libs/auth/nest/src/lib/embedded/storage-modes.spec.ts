import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadAuthConfig } from '../config/load-config';
import { openEmbeddedDataSource } from '../../pglite';
import { widerThanPrivate } from '../../testing/file-modes';

function countFiles(root: string): number {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

/** Enough rows that PGlite writes new relation files and WAL segments after opening. */
async function writeSomeRows(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE TABLE storage_probe (id serial PRIMARY KEY, filler text)`);
  for (let i = 0; i < 12; i++) await dataSource.query(`INSERT INTO storage_probe (filler) SELECT repeat(md5(g::text), 16) FROM generate_series(1, 2000) g`);
  await dataSource.query(`CREATE INDEX storage_probe_filler ON storage_probe (filler)`);
  await dataSource.query(`CHECKPOINT`);
}

/** Contract, "Storage": DATA_DIR, the embedded database and the development secret are the server user's alone. */
describe('DATA_DIR on disk', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lk-storage-'));
    // The common default, under which folders come out 0755 unless we say otherwise.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  async function openWriteAndClose(dataDir: string): Promise<{ whileOpen: string[]; filesBefore: number; filesAfter: number }> {
    loadAuthConfig({ DATA_DIR: dataDir }); // development: generates and keeps the JWT secret
    const dataSource = await openEmbeddedDataSource(dataDir);
    const filesBefore = countFiles(dataDir);
    try {
      await writeSomeRows(dataSource);
      return { whileOpen: widerThanPrivate(dataDir), filesBefore, filesAfter: countFiles(dataDir) };
    } finally {
      await dataSource.destroy();
    }
  }

  it('a fresh one: folders 0700 and files 0600, also the files PGlite writes after opening', async () => {
    const dataDir = join(root, 'fresh', '.data');
    const { whileOpen, filesBefore, filesAfter } = await openWriteAndClose(dataDir);
    expect(filesAfter).toBeGreaterThan(filesBefore);
    expect(whileOpen).toEqual([]);
    expect(widerThanPrivate(dataDir)).toEqual([]);
  });

  it('one an older version left 0755 / 0644 is narrowed at start-up', async () => {
    const dataDir = join(root, '.data');
    await (await openEmbeddedDataSource(dataDir)).destroy();
    loadAuthConfig({ DATA_DIR: dataDir });
    const widen = (path: string) => {
      const stat = lstatSync(path);
      chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
      if (stat.isDirectory()) for (const entry of readdirSync(path)) widen(join(path, entry));
    };
    widen(dataDir);
    expect(widerThanPrivate(dataDir)).toContain('/jwt-secret 644');

    const { whileOpen } = await openWriteAndClose(dataDir);
    expect(whileOpen).toEqual([]);
    expect(widerThanPrivate(dataDir)).toEqual([]);
  });
});
