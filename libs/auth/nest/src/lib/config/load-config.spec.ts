import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DEFAULTS, DEV_COOKIE_NAMES, PRODUCTION_COOKIE_NAMES } from '@latchkey/auth-contract';
import { ConfigError } from './config-error';
import { describeAuthConfig, loadAuthConfig } from './load-config';
import type { Environment } from './env-reader';

/** The least ENV=production starts with. */
const PRODUCTION = { ENV: 'production', JWT_SECRET: 'x'.repeat(32), APP_URL: 'https://app.example.com', SMTP_URL: 'smtp://smtp.example.com:587' };

describe('loadAuthConfig', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'lk-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: Environment) => loadAuthConfig({ DATA_DIR: dataDir, ...env });
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
    expect(load({})).toMatchObject({
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
    const first = load({}).jwtSecret;
    expect(Buffer.from(first, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(load({}).jwtSecret).toBe(first);
  });

  it('reads every variable it is given', () => {
    const auth = load({
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
      APP_URL: 'https://app.example.com/',
      SMTP_URL: 'smtps://mailer:p%40ss@smtp.example.com:465',
      MAIL_FROM: '"Latchkey, Inc." <hello@example.com>',
      EMAIL_VERIFICATION: 'required',
      PASSWORD_RESET_TTL_SECONDS: '900',
      EMAIL_TOKEN_TTL_SECONDS: '7200',
    });
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
    const auth = load(PRODUCTION);
    expect(auth.isProduction).toBe(true);
    expect(auth.cookieNames).toEqual(PRODUCTION_COOKIE_NAMES);
  });

  it.each<[string, Environment, string]>([
    ['non-numeric TTL', { ACCESS_TOKEN_TTL_SECONDS: '30m' }, 'ACCESS_TOKEN_TTL_SECONDS'],
    ['zero TTL', { REFRESH_TOKEN_TTL_SECONDS: '0' }, 'REFRESH_TOKEN_TTL_SECONDS'],
    ['refresh TTL not longer than access TTL', { ACCESS_TOKEN_TTL_SECONDS: '600', REFRESH_TOKEN_TTL_SECONDS: '600' }, 'REFRESH_TOKEN_TTL_SECONDS'],
    ['negative grace', { REFRESH_REUSE_GRACE_SECONDS: '-1' }, 'REFRESH_REUSE_GRACE_SECONDS'],
    ['session shorter than an access token', { SESSION_MAX_AGE_SECONDS: '10' }, 'SESSION_MAX_AGE_SECONDS'],
    ['unknown ENV', { ENV: 'staging' }, 'ENV'],
    ['production without JWT_SECRET', { ENV: 'production' }, 'JWT_SECRET'],
    ['short production secret', { ENV: 'production', JWT_SECRET: 'short' }, 'JWT_SECRET'],
    ['half-configured Google', { GOOGLE_CLIENT_ID: 'id' }, 'GOOGLE_CLIENT_SECRET'],
    ['bad Google callback', { GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's', GOOGLE_CALLBACK_URL: 'callback' }, 'GOOGLE_CALLBACK_URL'],
    ['bad Redis URL', { REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
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
  ])('stops on %s, naming the variable', (_case, env, variable) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('describes the effective auth settings without secrets or passwords', () => {
    const line = describeAuthConfig(load({ JWT_SECRET: 'super-secret-value', GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'google-secret', GOOGLE_CALLBACK_URL: 'http://localhost/cb' }));
    expect(line).toContain('accessTtl=1800s');
    expect(line).toContain('providers=password,google');
    expect(line).toContain('rateLimitStore=memory');
    for (const secret of ['super-secret-value', 'google-secret']) expect(line).not.toContain(secret);
  });

  it('states where mail goes (the SMTP host without its credentials, or the development folder) and the links’ settings', () => {
    const folder = describeAuthConfig(load({}));
    expect(folder).toContain(`mail=folder ${join(dataDir, 'mail')}`);
    expect(folder).toContain('appUrl=http://localhost:3000');
    expect(folder).toContain('resetTtl=3600s');
    expect(folder).toContain('emailTokenTtl=86400s');
    expect(folder).toContain('emailVerification=optional');
    const smtp = describeAuthConfig(load({ SMTP_URL: 'smtp://mailer:smtp-password@smtp.example.com:2525' }));
    expect(smtp).toContain('mail=smtp smtp.example.com:2525');
    expect(smtp).not.toContain('smtp-password');
    expect(smtp).not.toContain('mailer');
    expect(describeAuthConfig(load({ SMTP_URL: 'smtps://u:p@smtp.example.com' }))).toContain('mail=smtp smtp.example.com:465');
    expect(describeAuthConfig(load({ SMTP_URL: 'smtp://smtp.example.com' }))).toContain('mail=smtp smtp.example.com:587');
  });

  it('points links at APP_URL’s origin, and by default at localhost on PORT', () => {
    expect(load({ PORT: '8080' }).appUrl).toBe('http://localhost:8080');
    expect(load({ APP_URL: 'https://App.Example.com:8443' }).appUrl).toBe('https://app.example.com:8443');
    expect(load({ APP_URL: 'https://app.example.com/' }).appUrl).toBe('https://app.example.com');
  });

  it('writes mail to the folder only without SMTP_URL', () => {
    expect(load({}).mail.directory).toBe(join(dataDir, 'mail'));
    expect(load({ SMTP_URL: 'smtp://127.0.0.1:2525' }).mail).toEqual({ smtpUrl: 'smtp://127.0.0.1:2525', from: CONFIG_DEFAULTS.MAIL_FROM, directory: null });
  });

  it.each(['no-reply@example.com', 'Latchkey <no-reply@example.com>', '"Latchkey, Inc." <no-reply@example.com>', 'Λatchkey <no-reply@xn--80ak6aa92e.com>'])('takes MAIL_FROM=%j', (from) => {
    expect(load({ MAIL_FROM: from }).mail.from).toBe(from);
  });
});
