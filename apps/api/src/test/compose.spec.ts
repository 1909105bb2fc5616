import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '@latchkey/auth-contract';

/**
 * Docker cannot run on the CI machines, so the deployment files are checked by
 * reading them: every variable they pass must be one the API reads.
 */

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const root = workspaceRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const known: readonly string[] = CONFIG_VARIABLES;

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string | string[] };
  ports?: (string | number)[];
}

/** Compose allows a map or a list of `NAME=value` (or bare `NAME`, passed through). */
function environmentOf(service: ComposeService): Map<string, string | null> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return new Map(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return new Map(Object.entries(env).map(([name, value]) => [name, value === null ? null : String(value)]));
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const api = compose.services['api'];
  const postgres = compose.services['postgres'];
  const env = environmentOf(api);

  it('passes the api only variables that the configuration reads', () => {
    const unknown = [...env.keys()].filter((name) => !known.includes(name));
    expect(unknown).toEqual([]);
  });

  it('runs the api in production with the variables production requires', () => {
    expect(env.get('ENV')).toBe('production');
    // `${JWT_SECRET:?…}`: compose refuses to start without it, the secret is never in the file.
    expect(env.get('JWT_SECRET')).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
    expect(env.get('DATABASE_URL')).toMatch(/^postgres(ql)?:\/\//);
  });

  it('points DATABASE_URL at the postgres service, its user and database', () => {
    const db = environmentOf(postgres);
    // Interpolations like ${POSTGRES_PASSWORD:-x} are not URL-safe as written: compare the parts.
    const match = /^postgres(?:ql)?:\/\/([^:@/]+)(?::[^@]*)?@([^:/]+):(\d+)\/([^?]+)/.exec(env.get('DATABASE_URL') ?? '');
    expect(match).not.toBeNull();
    const [, user, host, port, database] = match as RegExpExecArray;
    expect({ user, host, port, database }).toEqual({
      user: db.get('POSTGRES_USER'),
      host: 'postgres',
      port: '5432',
      database: db.get('POSTGRES_DB'),
    });
  });

  it('builds the api from the Dockerfile and starts it once postgres is healthy', () => {
    expect(api.build).toBe('.');
    expect(postgres.image).toMatch(/^postgres:16/);
    expect(JSON.stringify(postgres.healthcheck?.test)).toContain('pg_isready');
    expect(api.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(api.ports).toContain(`3000:${env.get('PORT') ?? 3000}`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('runs the built server as the non-root node user in production mode', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV .*\bENV=production\b/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toMatch(/^CMD \["node", ?"dist\/apps\/api\/main\.js"\]$/m);
    expect(runtime).toContain('/api/v1/health');
  });
});

describe('.env.example', () => {
  // `NAME=value`, also commented out (`# NAME=value`); prose comments never start with NAME=.
  const assigned = read('.env.example')
    .split('\n')
    .map((line) => /^\s*(?:#\s*)?(?:export\s+)?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);

  it('lists every configuration variable once, and nothing else', () => {
    expect([...assigned].sort()).toEqual([...known].sort());
  });

  it('gives every variable a comment line above it', () => {
    const lines = read('.env.example').split('\n');
    const uncommented = known.filter((name) => {
      const above = lines[lines.findIndex((line) => new RegExp(`^\\s*(?:#\\s*)?${name}=`).test(line)) - 1] ?? '';
      return !/^#\s+\S/.test(above) || /^#\s*[A-Z][A-Z0-9_]*=/.test(above);
    });
    expect(uncommented).toEqual([]);
  });
});
