import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDirectory } from './private-directory';

const modeOf = (path: string) => (lstatSync(path).mode & 0o777).toString(8);

describe('makePrivateDirectory', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lk-private-'));
    // The common default: what a folder gets without us.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing directory, and its missing parents, readable by this user only', () => {
    const dir = join(root, 'a', 'b');
    makePrivateDirectory(dir);
    expect([modeOf(join(root, 'a')), modeOf(dir)]).toEqual(['700', '700']);
  });

  it('narrows what is there: folders to 0700, files to 0600, however deep', () => {
    const dir = join(root, 'data');
    mkdirSync(join(dir, 'pgdata', 'base', '5'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'jwt-secret'), 'x', { mode: 0o644 });
    writeFileSync(join(dir, 'pgdata', 'base', '5', '1247'), 'x');
    chmodSync(join(dir, 'pgdata', 'base', '5', '1247'), 0o666);
    writeFileSync(join(dir, 'pgdata', 'run.sh'), 'x', { mode: 0o755 });
    makePrivateDirectory(dir);
    for (const folder of [dir, join(dir, 'pgdata'), join(dir, 'pgdata', 'base'), join(dir, 'pgdata', 'base', '5')]) expect(modeOf(folder)).toBe('700');
    for (const file of [join(dir, 'jwt-secret'), join(dir, 'pgdata', 'base', '5', '1247'), join(dir, 'pgdata', 'run.sh')]) expect(modeOf(file)).toBe('600');
  });

  it('with withContents: false, narrows the directory itself and nothing in it', () => {
    const dir = join(root, 'shared');
    mkdirSync(join(dir, 'other'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'notes.txt'), 'x', { mode: 0o644 });
    makePrivateDirectory(dir, { withContents: false });
    expect([modeOf(dir), modeOf(join(dir, 'other')), modeOf(join(dir, 'notes.txt'))]).toEqual(['700', '755', '644']);
  });

  it('never follows a symbolic link out of the tree', () => {
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    const dir = join(root, 'data');
    mkdirSync(dir);
    symlinkSync(outside, join(dir, 'link'));
    makePrivateDirectory(dir);
    expect(statSync(outside).mode & 0o777).toBe(0o644);
  });
});
