import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DEFAULTS, DEV_COOKIE_NAMES, PRODUCTION_COOKIE_NAMES } from '@latchkey/auth-contract';
import { ConfigError } from './config-error';
import { describeConfig, loadConfig, logLevelsFrom } from './load-config';
import type { Environment } from './env-reader';

/** The least ENV=production starts with. */
const PRODUCTION = { ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'x'.repeat(32), APP_URL: 'https://app.example.com', SMTP_URL: 'smtp://smtp.example.com:587' };

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'lk-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: Environment) => loadConfig({ DATA_DIR: dataDir, ...env });
  const failure = (env: Environment): ConfigError => {
    try {
      load(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('uses the contract defaults for every unset variable', () => {
    const { server, auth } = load({});
    expect(server).toEqual({ env: 'development', port: 3000, databaseUrl: null, dataDir, trustProxy: false, apiDocs: true, logLevel: 'debug' });
    expect(auth).toMatchObject({
      env: 'development',
      isProduction: false,
      accessTokenTtlSeconds: 1800,
      refreshTokenTtlSeconds: 7_776_000,
      refreshReuseGraceSeconds: 30,
      sessionMaxAgeSeconds: 31_536_000,
      cookieNames: DEV_COOKIE_NAMES,
      google: null,
      redisUrl: null,
      appUrl: 'http://localhost:3000',
      mail: { smtpUrl: null, from: 'Latchkey <no-reply@localhost>', directory: join(dataDir, 'mail') },
      emailVerification: 'optional',
      passwordResetTtlSeconds: 3600,
      emailTokenTtlSeconds: 86_400,
    });
    expect(CONFIG_DEFAULTS.DATA_DIR).toBe('.data');
  });

  it('generates a development JWT secret once and keeps it in DATA_DIR', () => {
    const first = load({}).auth.jwtSecret;
    expect(Buffer.from(first, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(load({}).auth.jwtSecret).toBe(first);
  });

  it('reads every variable it is given', () => {
    const { server, auth } = load({
      PORT: '8080',
      DATABASE_URL: 'postgres://app:pw@db.example:5432/latchkey',
      JWT_SECRET: 'dev-secret',
      ACCESS_TOKEN_TTL_SECONDS: '60',
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      REFRESH_REUSE_GRACE_SECONDS: '5',
      SESSION_MAX_AGE_SECONDS: '7200',
      GOOGLE_CLIENT_ID: 'id',
      GOOGLE_CLIENT_SECRET: 'secret',
      GOOGLE_CALLBACK_URL: 'http://localhost:3000/api/v1/auth/google/callback',
      GOOGLE_TOKEN_URL: 'http://127.0.0.1:9999/token',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
      APP_URL: 'https://app.example.com/',
      SMTP_URL: 'smtps://mailer:p%40ss@smtp.example.com:465',
      MAIL_FROM: '"Latchkey, Inc." <hello@example.com>',
      EMAIL_VERIFICATION: 'required',
      PASSWORD_RESET_TTL_SECONDS: '900',
      EMAIL_TOKEN_TTL_SECONDS: '7200',
    });
    expect(server).toMatchObject({ port: 8080, databaseUrl: 'postgres://app:pw@db.example:5432/latchkey', trustProxy: 1, logLevel: 'warn' });
    expect(auth).toMatchObject({
      jwtSecret: 'dev-secret',
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      refreshReuseGraceSeconds: 5,
      sessionMaxAgeSeconds: 7200,
      redisUrl: 'redis://127.0.0.1:6379',
      appUrl: 'https://app.example.com',
      mail: { smtpUrl: 'smtps://mailer:p%40ss@smtp.example.com:465', from: '"Latchkey, Inc." <hello@example.com>', directory: null },
      emailVerification: 'required',
      passwordResetTtlSeconds: 900,
      emailTokenTtlSeconds: 7200,
      google: {
        clientId: 'id',
        clientSecret: 'secret',
        callbackUrl: 'http://localhost:3000/api/v1/auth/google/callback',
        authorizationUrl: CONFIG_DEFAULTS.GOOGLE_AUTHORIZATION_URL,
        tokenUrl: 'http://127.0.0.1:9999/token',
        userInfoUrl: CONFIG_DEFAULTS.GOOGLE_USERINFO_URL,
      },
    });
  });

  it('uses production cookie names and demands secrets in production', () => {
    const { auth } = load(PRODUCTION);
    expect(auth.isProduction).toBe(true);
    expect(auth.cookieNames).toEqual(PRODUCTION_COOKIE_NAMES);
  });

  it.each<[string, Environment, string]>([
    ['non-numeric TTL', { ACCESS_TOKEN_TTL_SECONDS: '30m' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    ['zero TTL', { REFRESH_TOKEN_TTL_SECONDS: '0' }, 'REFRESH_TOKEN_TTL_SECONDS'],
    ['refresh TTL not longer than access TTL', { ACCESS_TOKEN_TTL_SECONDS: '600', REFRESH_TOKEN_TTL_SECONDS: '600' }, 'REFRESH_TOKEN_TTL_SECONDS'],
    ['negative grace', { REFRESH_REUSE_GRACE_SECONDS: '-1' }, 'REFRESH_REUSE_GRACE_SECONDS'],
    ['session shorter than an access token', { SESSION_MAX_AGE_SECONDS: '10' }, 'SESSION_MAX_AGE_SECONDS'],
    ['port out of range', { PORT: '70000' }, 'PORT'],
    ['unknown ENV', { ENV: 'staging' }, 'ENV'],
    ['database URL of another kind', { DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    ['database URL that is not a URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['production without DATABASE_URL', { ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, 'DATABASE_URL'],
    ['production without JWT_SECRET', { ENV: 'production', DATABASE_URL: 'postgres://db/x' }, 'JWT_SECRET'],
    ['short production secret', { ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'short' }, 'JWT_SECRET'],
    ['half-configured Google', { GOOGLE_CLIENT_ID: 'id' }, 'GOOGLE_CLIENT_SECRET'],
    ['bad Google callback', { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's', GOOGLE_CALLBACK_URL: 'callback' }, 'GOOGLE_CALLBACK_URL'],
    ['bad Redis URL', { REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    ['unknown log level', { LOG_LEVEL: 'info' }, 'LOG_LEVEL'],
    ['API_DOCS that is not a boolean', { API_DOCS: 'yes' }, 'API_DOCS'],
    ['TRUST_PROXY=true in production', { ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'x'.repeat(32), TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    ['a TRUST_PROXY entry that is no address', { TRUST_PROXY: 'banana' }, 'TRUST_PROXY'],
    ['production without APP_URL', { ...PRODUCTION, APP_URL: undefined }, 'APP_URL'],
    ['production without SMTP_URL', { ...PRODUCTION, SMTP_URL: undefined }, 'SMTP_URL'],
    ['an APP_URL that is not a URL', { APP_URL: 'app.example.com' }, 'APP_URL'],
    ['an APP_URL of another kind', { APP_URL: 'ftp://app.example.com' }, 'APP_URL'],
    ['an APP_URL with a path', { APP_URL: 'https://app.example.com/login' }, 'APP_URL'],
    ['an APP_URL with a query', { APP_URL: 'https://app.example.com/?x=1' }, 'APP_URL'],
    ['an SMTP_URL of another kind', { SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL'],
    ['an SMTP_URL that is not a URL', { SMTP_URL: 'smtp.example.com:587' }, 'SMTP_URL'],
    ['an SMTP_URL without a host', { SMTP_URL: 'smtp://' }, 'SMTP_URL'],
    ['a MAIL_FROM that is no address', { MAIL_FROM: 'Latchkey' }, 'MAIL_FROM'],
    ['a MAIL_FROM with two addresses', { MAIL_FROM: 'a@example.com, b@example.com' }, 'MAIL_FROM'],
    ['a MAIL_FROM that opens another header', { MAIL_FROM: 'a@example.com\r\nBcc: b@example.com' }, 'MAIL_FROM'],
    ['a MAIL_FROM group', { MAIL_FROM: 'team: a@example.com;' }, 'MAIL_FROM'],
    ['an unknown EMAIL_VERIFICATION', { EMAIL_VERIFICATION: 'always' }, 'EMAIL_VERIFICATION'],
    ['a non-numeric reset TTL', { PASSWORD_RESET_TTL_SECONDS: '1h' }, 'PASSWORD_RESET_TTL_SECONDS'],
    ['a zero reset TTL', { PASSWORD_RESET_TTL_SECONDS: '0' }, 'PASSWORD_RESET_TTL_SECONDS'],
    ['an email token TTL of a year', { EMAIL_TOKEN_TTL_SECONDS: '31536000' }, 'EMAIL_TOKEN_TTL_SECONDS'],
    ['a TRUST_PROXY subnet with too long a prefix', { TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY'],
    ['a bad entry among good ones in TRUST_PROXY', { TRUST_PROXY: 'loopback, 10.0.0.0/8, 300.1.2.3' }, 'TRUST_PROXY'],
    ['an empty TRUST_PROXY entry', { TRUST_PROXY: '10.0.0.1,,10.0.0.2' }, 'TRUST_PROXY'],
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

  it('states where mail goes (the SMTP host without its credentials, or the development folder) and the links’ settings', () => {
    const folder = describeConfig(load({}));
    expect(folder).toContain(`mail=folder ${join(dataDir, 'mail')}`);
    expect(folder).toContain('appUrl=http://localhost:3000');
    expect(folder).toContain('resetTtl=3600s');
    expect(folder).toContain('emailTokenTtl=86400s');
    expect(folder).toContain('emailVerification=optional');
    const smtp = describeConfig(load({ SMTP_URL: 'smtp://mailer:smtp-password@smtp.example.com:2525' }));
    expect(smtp).toContain('mail=smtp smtp.example.com:2525');
    expect(smtp).not.toContain('smtp-password');
    expect(smtp).not.toContain('mailer');
    expect(describeConfig(load({ SMTP_URL: 'smtps://u:p@smtp.example.com' }))).toContain('mail=smtp smtp.example.com:465');
    expect(describeConfig(load({ SMTP_URL: 'smtp://smtp.example.com' }))).toContain('mail=smtp smtp.example.com:587');
  });

  it('points links at APP_URL’s origin, and by default at localhost on PORT', () => {
    expect(load({ PORT: '8080' }).auth.appUrl).toBe('http://localhost:8080');
    expect(load({ APP_URL: 'https://App.Example.com:8443' }).auth.appUrl).toBe('https://app.example.com:8443');
    expect(load({ APP_URL: 'https://app.example.com/' }).auth.appUrl).toBe('https://app.example.com');
  });

  it('writes mail to the folder only without SMTP_URL', () => {
    expect(load({}).auth.mail.directory).toBe(join(dataDir, 'mail'));
    expect(load({ SMTP_URL: 'smtp://127.0.0.1:2525' }).auth.mail).toEqual({ smtpUrl: 'smtp://127.0.0.1:2525', from: CONFIG_DEFAULTS.MAIL_FROM, directory: null });
  });

  it.each(['no-reply@example.com', 'Latchkey <no-reply@example.com>', '"Latchkey, Inc." <no-reply@example.com>', 'Λatchkey <no-reply@xn--80ak6aa92e.com>'])('takes MAIL_FROM=%j', (from) => {
    expect(load({ MAIL_FROM: from }).auth.mail.from).toBe(from);
  });
});
