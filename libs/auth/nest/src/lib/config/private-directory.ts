import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const PRIVATE_DIRECTORY_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

export interface PrivateDirectoryOptions {
  /**
   * Also narrow every folder and file under it (the default). Off for a folder
   * that may hold files that are not ours, as DATA_DIR may: there only the
   * folder itself is narrowed, and each of our things in it is made private by
   * its own owner.
   */
  readonly withContents?: boolean;
}

/**
 * Makes `dir` readable by this process's user only (contract, "Storage"):
 * creates it (and missing parents) when absent, sets it to 0700, and, with
 * `withContents`, every folder under it to 0700 and every file to 0600 —
 * whatever an older version, the umask or PGlite left there. Symbolic links
 * are never followed. With every folder on the way 0700, a file created in it
 * later is out of other users' reach whatever its own mode.
 *
 * @example makePrivateDirectory(join(dataDir, 'mail'));
 */
export function makePrivateDirectory(dir: string, { withContents = true }: PrivateDirectoryOptions = {}): void {
  // The mode applies to each folder it creates; chmod narrows one that was there.
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (withContents) narrowTree(dir);
  else chmodSync(dir, PRIVATE_DIRECTORY_MODE);
}

function narrowTree(path: string): void {
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    narrow(path, stat.mode, PRIVATE_DIRECTORY_MODE);
    for (const entry of readdirSync(path)) narrowTree(join(path, entry));
  } else if (stat.isFile()) {
    narrow(path, stat.mode, PRIVATE_FILE_MODE);
  }
}

function narrow(path: string, current: number, mode: number): void {
  if ((current & 0o777) !== mode) chmodSync(path, mode);
}
