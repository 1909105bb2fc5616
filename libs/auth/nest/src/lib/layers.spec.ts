import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The lib's folders from the top (HTTP) to the bottom (configuration): a
 * folder may import only folders below it. Files at the lib's root are the
 * composition (AuthModule, the entity list, the DataSource defaults), which
 * no folder imports, except the two every layer shares: the injection tokens
 * and the client-facing messages.
 */
const LAYERS = ['http', 'health', 'csrf', 'decorators', 'accounts', 'google', 'passwords', 'guards', 'cookies', 'sessions', 'throttling', 'tokens', 'users', 'mail', 'events', 'headers', 'embedded', 'database', 'config', 'migrations'];
const SHARED_ROOT_FILES = new Set(['auth.constants.ts', 'auth-messages.ts']);
const LIB = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every (folder → folder or root file) import that points upwards. */
function upwardImports(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(LIB)) {
    const from = relative(LIB, file).split(sep);
    if (from.length === 1) continue; // the composition root imports anything
    const fromLayer = LAYERS.indexOf(from[0]);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = relative(LIB, join(dirname(file), specifier)).split(sep);
      if (to[0] === from[0]) continue;
      const toLayer = to.length === 1 ? -1 : LAYERS.indexOf(to[0]);
      const shared = to.length === 1 && SHARED_ROOT_FILES.has(`${to[0]}.ts`);
      if (!shared && toLayer <= fromLayer) found.push(`${from.join('/')} → ${to.join('/')}`);
    }
  }
  return found;
}

describe('the Nest lib’s layers', () => {
  it('name every folder', () => {
    const folders = readdirSync(LIB, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((folder) => !LAYERS.includes(folder))).toEqual([]);
  });

  it('import only downwards: no folder imports a folder above it or the composition root', () => {
    expect(upwardImports()).toEqual([]);
  });
});
