import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the built PWA is: beside the built server (`dist/apps/web/browser`),
 * or under the workspace when the server runs from source in tests.
 */
export function findWebRoot(): string | null {
  const candidates = [join(__dirname, '..', 'web', 'browser'), join(process.cwd(), 'dist', 'apps', 'web', 'browser')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
