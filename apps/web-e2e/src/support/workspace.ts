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

export const BUILT_SERVER = join(workspaceRoot(), 'dist', 'apps', 'api', 'main.js');
export const BUILT_WEB = join(workspaceRoot(), 'dist', 'apps', 'web', 'browser');
/** Kept by CI as an artifact. */
export const SCREENSHOTS = join(workspaceRoot(), 'dist', 'e2e-screenshots');

export function assertBuilt(): void {
  for (const file of [BUILT_SERVER, join(BUILT_WEB, 'index.html')]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run \`npx nx run-many -t build --projects=api,web\` first.`);
    }
  }
}
