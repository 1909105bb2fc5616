import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The workspace root: the nearest folder up from here holding nx.json. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`nx.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** What `npm run build` makes and `node dist/apps/api/main.js` starts. */
export const BUILT_SERVER = join(workspaceRoot(), 'dist', 'apps', 'api', 'main.js');
