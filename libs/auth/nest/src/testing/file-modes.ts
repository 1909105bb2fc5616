import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every path under `root` (itself included) that another local user could read or enter: folders not 0700, files not 0600. */
export function widerThanPrivate(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if (mode !== 0o700) found.push(`${path.slice(root.length) || '.'} ${mode.toString(8)}`);
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.isFile() && mode !== 0o600) {
      found.push(`${path.slice(root.length)} ${mode.toString(8)}`);
    }
  };
  visit(root);
  return found;
}
