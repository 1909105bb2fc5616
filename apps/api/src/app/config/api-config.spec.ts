import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Environment } from '@latchkey/auth-nest';
import { describeConfig, loadApiConfig, logLevelsFrom } from './api-config';

/** The least ENV=production starts with. */
const PRODUCTION = { ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'x'.repeat(32), APP_URL: 'https://app.example.com', SMTP_URL: 'smtp://smtp.example.com:587' };

describe('loadApiConfig', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'lk-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: Environment) => loadApiConfig({ DATA_DIR: dataDir, ...env });
  const failure = (env: Environment): ConfigError => {
    try {
      load(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('uses the contract defaults for every unset server variable, and reads the auth module’s', () => {
    const { server, auth } = load({});
    expect(server).toEqual({ env: 'development', port: 3000, databaseUrl: null, dataDir, trustProxy: false, apiDocs: true, logLevel: 'debug' });
    expect(auth).toMatchObject({ env: 'development', accessTokenTtlSeconds: 1800, appUrl: 'http://localhost:3000' });
  });

  it('reads every server variable it is given', () => {
    const { server, auth } = load({ PORT: '8080', DATABASE_URL: 'postgres://app:pw@db.example:5432/latchkey', TRUST_PROXY: '1', LOG_LEVEL: 'warn', API_DOCS: 'false' });
    expect(server).toMatchObject({ port: 8080, databaseUrl: 'postgres://app:pw@db.example:5432/latchkey', trustProxy: 1, logLevel: 'warn', apiDocs: false });
    expect(auth.appUrl).toBe('http://localhost:8080');
  });

  it.each<[string, Environment, string]>([
    ['port out of range', { PORT: '70000' }, 'PORT'],
    ['database URL of another kind', { DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    ['database URL that is not a URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['production without DATABASE_URL (before any auth setting)', { ENV: 'production' }, 'DATABASE_URL'],
    ['unknown log level', { LOG_LEVEL: 'info' }, 'LOG_LEVEL'],
    ['API_DOCS that is not a boolean', { API_DOCS: 'yes' }, 'API_DOCS'],
    ['TRUST_PROXY=true in production', { ...PRODUCTION, TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    ['a TRUST_PROXY entry that is no address', { TRUST_PROXY: 'banana' }, 'TRUST_PROXY'],
    ['a TRUST_PROXY subnet with too long a prefix', { TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY'],
    ['a bad entry among good ones in TRUST_PROXY', { TRUST_PROXY: 'loopback, 10.0.0.0/8, 300.1.2.3' }, 'TRUST_PROXY'],
    ['an empty TRUST_PROXY entry', { TRUST_PROXY: '10.0.0.1,,10.0.0.2' }, 'TRUST_PROXY'],
    ['an auth setting (read after the server’s)', { ACCESS_TOKEN_TTL_SECONDS: '30m' }, 'ACCESS_TOKEN_TTL_SECONDS'],
  ])('stops on %s, naming the variable', (_case, env, variable) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it.each<[string, boolean | number | readonly string[]]>([
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8,loopback', ['10.0.0.0/8', 'loopback']],
    [' 192.168.0.0/255.255.0.0 , ::1, fd00::/8, linklocal, uniquelocal ', ['192.168.0.0/255.255.0.0', '::1', 'fd00::/8', 'linklocal', 'uniquelocal']],
  ])('takes TRUST_PROXY=%j as a hop count or a list of addresses, subnets and Express’ names', (raw, trustProxy) => {
    expect(load({ TRUST_PROXY: raw }).server.trustProxy).toEqual(trustProxy);
    const production = PRODUCTION;
    expect(load({ ...production, TRUST_PROXY: raw }).server.trustProxy).toEqual(trustProxy);
  });

  it('keeps TRUST_PROXY=true (every client picks its own address) outside production, where the tests use it', () => {
    expect(load({ TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
    expect(load({ ENV: 'test', TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
  });

  it('refuses TRUST_PROXY=true in production with one line that says what to set instead', () => {
    const error = failure({ ...PRODUCTION, TRUST_PROXY: 'true' });
    expect(error.message).toMatch(/^TRUST_PROXY: .*hop count.*address/);
  });

  it('serves the API docs in development and not in production, unless API_DOCS says otherwise', () => {
    const production = PRODUCTION;
    expect(load({}).server.apiDocs).toBe(true);
    expect(load({ ENV: 'test' }).server.apiDocs).toBe(true);
    expect(load(production).server.apiDocs).toBe(false);
    expect(load({ API_DOCS: 'false' }).server.apiDocs).toBe(false);
    expect(load({ API_DOCS: '0' }).server.apiDocs).toBe(false);
    expect(load({ ...production, API_DOCS: 'true' }).server.apiDocs).toBe(true);
    expect(load({ ...production, API_DOCS: '1' }).server.apiDocs).toBe(true);
  });

  it('logs successful refreshes (debug) in development only, unless LOG_LEVEL says otherwise', () => {
    expect(logLevelsFrom(load({}).server.logLevel)).toEqual(['debug', 'log', 'warn', 'error', 'fatal']);
    const production = PRODUCTION;
    expect(logLevelsFrom(load(production).server.logLevel)).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(logLevelsFrom(load({ ...production, LOG_LEVEL: 'warn' }).server.logLevel)).toEqual(['warn', 'error', 'fatal']);
    expect(logLevelsFrom(load({ LOG_LEVEL: 'verbose' }).server.logLevel)).toHaveLength(6);
  });

  it('describes the effective configuration without secrets or passwords', () => {
    const line = describeConfig(
      load({ DATABASE_URL: 'postgres://app:hunter2@db.example:5432/latchkey', JWT_SECRET: 'super-secret-value', GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'google-secret', GOOGLE_CALLBACK_URL: 'http://localhost/cb' }),
    );
    expect(line).toContain('ENV=development');
    expect(line).toContain('database=postgres db.example:5432/latchkey');
    expect(line).toContain('providers=password,google');
    expect(line).toContain('apiDocs=on');
    expect(line).toContain('trustProxy=off');
    expect(describeConfig(load({ API_DOCS: 'false', TRUST_PROXY: '10.0.0.0/8, loopback' }))).toMatch(/apiDocs=off .*trustProxy=10\.0\.0\.0\/8,loopback|trustProxy=10\.0\.0\.0\/8,loopback.*apiDocs=off/);
    expect(describeConfig(load({ TRUST_PROXY: '1' }))).toContain('trustProxy=1');
    for (const secret of ['hunter2', 'super-secret-value', 'google-secret', 'app:']) expect(line).not.toContain(secret);
  });

  it('states where mail goes, through the auth module’s part of the line', () => {
    const smtp = describeConfig(load({ SMTP_URL: 'smtp://mailer:smtp-password@smtp.example.com:2525' }));
    expect(smtp).toContain('mail=smtp smtp.example.com:2525');
    expect(smtp).not.toContain('smtp-password');
  });
});
