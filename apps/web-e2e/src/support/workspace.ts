import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_SERVER, workspaceRoot } from '@latchkey/server-testing';
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
