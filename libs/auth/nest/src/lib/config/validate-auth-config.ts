import { MIN_PRODUCTION_SECRET_BYTES } from '@latchkey/auth-contract';
import type { AuthConfig } from './auth-config';
import { ConfigError } from './config-error';
import { MAX_LINK_TTL_SECONDS, MAX_REUSE_GRACE_SECONDS, MAX_TTL_SECONDS, MIN_LINK_TTL_SECONDS } from './limits';
import { isSenderAddress } from './mail-settings';

const RUNTIME_ENVS = ['development', 'production', 'test'];
const EMAIL_VERIFICATION_MODES = ['optional', 'required'];

/**
 * The rules every {@link AuthConfig} meets, however it was built: from the
 * environment (`loadAuthConfig`) or by a host app (`AuthModule.forRoot`,
 * `forRootAsync`). Throws the {@link ConfigError} of the first bad field,
 * named as the host wrote it (`AuthConfig.accessTokenTtlSeconds`), so a NaN
 * TTL or a 1-byte production secret stops start-up with one clear line
 * instead of failing later in SQL or crypto.
 */
export function validateAuthConfig(config: AuthConfig): AuthConfig {
  if (config === null || typeof config !== 'object') throw new ConfigError('AuthConfig', 'must be an object (see loadAuthConfig)');
  const field = (name: keyof AuthConfig | string) => `AuthConfig.${name}`;
  const oneOf = (name: keyof AuthConfig, allowed: readonly string[]) => {
    if (!allowed.includes(config[name] as string)) throw new ConfigError(field(name), `must be one of ${allowed.join(', ')} (got ${JSON.stringify(config[name])})`);
  };
  const seconds = (name: keyof AuthConfig, min: number, max: number) => {
    const value = config[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(field(name), `must be a whole number of seconds from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
  };

  oneOf('env', RUNTIME_ENVS);
  if (config.isProduction !== (config.env === 'production')) throw new ConfigError(field('isProduction'), `must be ${config.env === 'production'} when env is ${config.env}`);
  if (typeof config.jwtSecret !== 'string' || config.jwtSecret === '') throw new ConfigError(field('jwtSecret'), 'is required');
  if (config.isProduction && Buffer.byteLength(config.jwtSecret) < MIN_PRODUCTION_SECRET_BYTES) {
    throw new ConfigError(field('jwtSecret'), `must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes in production`);
  }
  seconds('accessTokenTtlSeconds', 1, MAX_TTL_SECONDS);
  seconds('refreshTokenTtlSeconds', 1, MAX_TTL_SECONDS);
  if (config.refreshTokenTtlSeconds <= config.accessTokenTtlSeconds) {
    throw new ConfigError(field('refreshTokenTtlSeconds'), `must be longer than accessTokenTtlSeconds (${config.refreshTokenTtlSeconds} ≤ ${config.accessTokenTtlSeconds})`);
  }
  seconds('refreshReuseGraceSeconds', 0, MAX_REUSE_GRACE_SECONDS);
  seconds('sessionMaxAgeSeconds', 1, MAX_TTL_SECONDS);
  if (config.sessionMaxAgeSeconds < config.accessTokenTtlSeconds) {
    throw new ConfigError(field('sessionMaxAgeSeconds'), `must be at least accessTokenTtlSeconds (${config.sessionMaxAgeSeconds} < ${config.accessTokenTtlSeconds})`);
  }
  seconds('passwordResetTtlSeconds', MIN_LINK_TTL_SECONDS, MAX_LINK_TTL_SECONDS);
  seconds('emailTokenTtlSeconds', MIN_LINK_TTL_SECONDS, MAX_LINK_TTL_SECONDS);
  oneOf('emailVerification', EMAIL_VERIFICATION_MODES);

  const names = config.cookieNames;
  if (!names || [names.access, names.refresh, names.device].some((name) => typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))) {
    throw new ConfigError(field('cookieNames'), 'must name the access, refresh and device cookies (see authCookieNames)');
  }
  const appUrl = parseUrl(config.appUrl, ['http:', 'https:']);
  if (!appUrl || appUrl.origin !== config.appUrl) throw new ConfigError(field('appUrl'), `must be an origin only, like https://app.example.com (got ${JSON.stringify(config.appUrl)})`);
  if (config.redisUrl !== null && !parseUrl(config.redisUrl, ['redis:', 'rediss:'])) throw new ConfigError(field('redisUrl'), 'must be a redis:// or rediss:// URL, or null');

  const mail = config.mail;
  if (!mail || typeof mail !== 'object') throw new ConfigError(field('mail'), 'is required ({ smtpUrl, from, directory })');
  if (mail.smtpUrl !== null && !parseUrl(mail.smtpUrl, ['smtp:', 'smtps:'])?.hostname) throw new ConfigError(field('mail.smtpUrl'), 'must be smtp://user:pass@host:port or smtps://…, or null');
  if (mail.smtpUrl === null && !mail.directory) throw new ConfigError(field('mail'), 'needs smtpUrl, or a directory for development mail');
  if (config.isProduction && mail.smtpUrl === null) throw new ConfigError(field('mail.smtpUrl'), 'is required in production');
  if (typeof mail.from !== 'string' || !isSenderAddress(mail.from)) throw new ConfigError(field('mail.from'), `must be one address, like "Latchkey <no-reply@example.com>" (got ${JSON.stringify(mail.from)})`);

  const google = config.google;
  if (google !== null) {
    if (!google || typeof google !== 'object') throw new ConfigError(field('google'), 'must be null (Google sign-in off) or its settings');
    for (const key of ['clientId', 'clientSecret'] as const) {
      if (typeof google[key] !== 'string' || google[key] === '') throw new ConfigError(field(`google.${key}`), 'is required when Google sign-in is on');
    }
    for (const key of ['callbackUrl', 'authorizationUrl', 'tokenUrl', 'userInfoUrl'] as const) {
      if (!parseUrl(google[key], ['http:', 'https:'])) throw new ConfigError(field(`google.${key}`), `must be an http(s) URL (got ${JSON.stringify(google[key])})`);
    }
  }
  return config;
}

function parseUrl(value: unknown, protocols: readonly string[]): URL | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) ? url : null;
  } catch {
    return null;
  }
}
