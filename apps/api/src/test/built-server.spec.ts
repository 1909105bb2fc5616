import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '@latchkey/auth-nest-testing';
import { BuiltServer, freePort, runBuiltServerToExit, startBuiltServer, workspaceRoot } from '@latchkey/server-testing';
import { Browser, PASSWORD, refreshWith, uniqueEmail } from './harness';

/** `node dist/apps/api/main.js`, exactly as the README and the contract start it. */
describe('the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  it('serves the PWA at / and for client routes, from the same origin as the API', async () => {
    const index = await new Browser(server).get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    const html = index.text;
    expect(html).toMatch(/<base href="\/"\/?>/);
    expect(html).toContain('<lk-root>');

    const clientRoute = await new Browser(server).get('/account/sessions');
    expect(clientRoute.status).toBe(200);
    expect(clientRoute.text).toBe(html);
  });

  it('answers health and a JSON 404 for unknown API paths (never index.html)', async () => {
    const health = await new Browser(server).get('/api/v1/health');
    expect(health.body).toEqual({ status: 'ok', db: 'up' });
    const nope = await new Browser(server).get('/api/v1/nope');
    expect(nope.status).toBe(404);
    expect(nope.headers['content-type']).toContain('application/json');
    expect(nope.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('serves the build’s hashed files precompressed and cached for a year, robots.txt as text', async () => {
    const files = readdirSync(join(workspaceRoot(), 'dist', 'apps', 'web', 'browser'));
    const hashed = files.filter((f) => /-[A-Z0-9]{8}\.(js|css)$/.test(f));
    expect(hashed).toContainEqual(expect.stringMatching(/^main-.+\.js$/));
    for (const file of hashed) expect(files).toEqual(expect.arrayContaining([`${file}.br`, `${file}.gz`]));

    const main = hashed.find((f) => f.startsWith('main-'));
    const js = await new Browser(server).get(`/${main}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers['content-encoding']).toBe('br');
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['vary']).toMatch(/accept-encoding/i);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const robots = await new Browser(server).get('/robots.txt');
    expect(robots.headers['content-type']).toContain('text/plain');
    expect(robots.text).toContain('User-agent:');

    const missing = await new Browser(server).get('/chunk-MISSING1.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
  });

  it('logs its effective configuration once, without secrets', () => {
    const line = server.output().split('\n').find((l) => l.includes('ENV='));
    expect(line).toContain(db.kind === 'postgres' ? 'database=postgres' : 'database=pglite');
    expect(line).toContain('accessTtl=1800s');
    expect(server.output()).not.toContain('jwt-secret');
  });

  it('exits 0 within 10 s of SIGTERM', async () => {
    const started = Date.now();
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the built server refuses to start half-configured', () => {
  it.each([
    ['a non-numeric TTL', { ACCESS_TOKEN_TTL_SECONDS: 'soon' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    ['a short production secret', { ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1/x', JWT_SECRET: 'short' }, 'JWT_SECRET'],
    ['API_DOCS that is not a boolean', { API_DOCS: 'maybe' }, 'API_DOCS'],
    ['a TRUST_PROXY entry that is no address', { TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY'],
  ])('with %s: exit 1 and one line naming the variable', async (_case, env, variable) => {
    const { code, stdout, stderr } = await runBuiltServerToExit({ DATA_DIR: '/tmp/latchkey-never-created', ...env });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`${variable}:`)]);
  });

  it('with TRUST_PROXY=true in production: exit 1 and one line saying to name the proxy', async () => {
    const production = { ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1/x', JWT_SECRET: 'x'.repeat(48) };
    const { code, stdout, stderr } = await runBuiltServerToExit({ DATA_DIR: '/tmp/latchkey-never-created', ...production, TRUST_PROXY: 'true' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: TRUST_PROXY: .*hop count/)]);
  });

  it('with an unreachable DATABASE_URL: exit 1 naming DATABASE_URL, nothing listening', async () => {
    const deadPort = await freePort();
    const { code, stderr } = await runBuiltServerToExit({ DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/latchkey` });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: DATABASE_URL: cannot open the database \(.*ECONNREFUSED/)]);
  });
});

describe('the built server’s auth event log', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.drop());

  /** Registers, refreshes once, then presents a token that does not exist. */
  async function signUpAndRefresh(server: BuiltServer): Promise<void> {
    const browser = new Browser(server);
    expect((await browser.register({ email: uniqueEmail('log'), password: PASSWORD })).status).toBe(201);
    expect((await browser.refresh()).status).toBe(200);
    expect((await refreshWith(server, 'x'.repeat(43))).res.status).toBe(401);
  }

  it.each([
    ['log', 'not logged', false],
    ['debug', 'logged', true],
  ])('at LOG_LEVEL=%s: sign-ins and refused refreshes are logged, each successful refresh is %s', async (level, _shown, refreshLogged) => {
    const server = await startBuiltServer({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, LOG_LEVEL: level });
    try {
      await signUpAndRefresh(server);
    } finally {
      await server.stop('SIGTERM');
    }
    const output = server.output();
    expect(output).toContain(`logLevel=${level}`);
    expect(output).toContain('"event":"register"');
    expect(output).toContain('"event":"refresh_failed","reason":"unknown_token"');
    expect(output.includes('"event":"refresh"')).toBe(refreshLogged);
  });
});
