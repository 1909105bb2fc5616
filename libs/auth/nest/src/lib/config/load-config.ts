import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_DEFAULTS,
  MIN_PRODUCTION_SECRET_BYTES,
  authCookieNames,
} from '@latchkey/auth-contract';
import { AuthConfig, GoogleConfig, RuntimeEnv } from './auth-config';
import { ConfigError } from './config-error';
import { EnvReader, Environment } from './env-reader';
import { MAX_REUSE_GRACE_SECONDS, MAX_TTL_SECONDS } from './limits';
import { describeMail, readMailSettings } from './mail-settings';
import { makePrivateDirectory } from './private-directory';

const RUNTIME_ENVS: readonly RuntimeEnv[] = ['development', 'production', 'test'];

/** ENV: `development` unless set; `production` makes secrets mandatory and cookies Secure. */
export function readRuntimeEnv(read: EnvReader): RuntimeEnv {
  return read.oneOf('ENV', RUNTIME_ENVS, CONFIG_DEFAULTS.ENV);
}

/** DATA_DIR as an absolute path: the embedded database, the development secret and mail folder live there. */
export function readDataDir(read: EnvReader): string {
  return resolve(read.optional('DATA_DIR') ?? CONFIG_DEFAULTS.DATA_DIR);
}

/**
 * The {@link AuthConfig} the environment describes (the contract's table), built once
 * at boot. Throws {@link ConfigError} naming the first bad variable. The server's own
 * settings (port, database, proxies, logs) are the host's to read.
 */
export function loadAuthConfig(env: Environment = process.env): AuthConfig {
  const read = new EnvReader(env);
  const runtimeEnv = readRuntimeEnv(read);
  const isProduction = runtimeEnv === 'production';
  const dataDir = readDataDir(read);
  // Only for APP_URL's default (http://localhost:<PORT>).
  const port = read.integer('PORT', CONFIG_DEFAULTS.PORT, { min: 0, max: 65_535 });

  const accessTokenTtlSeconds = read.integer('ACCESS_TOKEN_TTL_SECONDS', CONFIG_DEFAULTS.ACCESS_TOKEN_TTL_SECONDS, { min: 1, max: MAX_TTL_SECONDS });
  const refreshTokenTtlSeconds = read.integer('REFRESH_TOKEN_TTL_SECONDS', CONFIG_DEFAULTS.REFRESH_TOKEN_TTL_SECONDS, { min: 1, max: MAX_TTL_SECONDS });
  if (refreshTokenTtlSeconds <= accessTokenTtlSeconds) {
    throw new ConfigError('REFRESH_TOKEN_TTL_SECONDS', `must be longer than ACCESS_TOKEN_TTL_SECONDS (${refreshTokenTtlSeconds} ≤ ${accessTokenTtlSeconds})`);
  }
  const refreshReuseGraceSeconds = read.integer('REFRESH_REUSE_GRACE_SECONDS', CONFIG_DEFAULTS.REFRESH_REUSE_GRACE_SECONDS, { min: 0, max: MAX_REUSE_GRACE_SECONDS });
  const sessionMaxAgeSeconds = read.integer('SESSION_MAX_AGE_SECONDS', CONFIG_DEFAULTS.SESSION_MAX_AGE_SECONDS, { min: 1, max: MAX_TTL_SECONDS });
  if (sessionMaxAgeSeconds < accessTokenTtlSeconds) {
    throw new ConfigError('SESSION_MAX_AGE_SECONDS', `must be at least ACCESS_TOKEN_TTL_SECONDS (${sessionMaxAgeSeconds} < ${accessTokenTtlSeconds})`);
  }

  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const jwtSecret = readJwtSecret(read, isProduction, dataDir);
  const mailSettings = readMailSettings(read, { isProduction, dataDir, port });

  return {
    env: runtimeEnv,
    isProduction,
    jwtSecret,
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    refreshReuseGraceSeconds,
    sessionMaxAgeSeconds,
    cookieNames: authCookieNames(isProduction),
    google: readGoogle(read),
    redisUrl: redisUrl?.toString() ?? null,
    ...mailSettings,
  };
}

function readJwtSecret(read: EnvReader, isProduction: boolean, dataDir: string): string {
  const secret = read.optional('JWT_SECRET');
  if (secret !== undefined) {
    if (isProduction && Buffer.byteLength(secret) < MIN_PRODUCTION_SECRET_BYTES) {
      throw new ConfigError('JWT_SECRET', `must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes when ENV=production`);
    }
    return secret;
  }
  if (isProduction) {
    throw new ConfigError('JWT_SECRET', 'is required when ENV=production');
  }
  return developmentSecret(dataDir);
}

/** Kept in DATA_DIR so a restarted dev server still accepts the tokens it issued; readable by this user only. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    makePrivateDirectory(dataDir, { withContents: false });
    const secret = readOrCreateSecret(file);
    // An older version may have left it readable by others.
    chmodSync(file, 0o600);
    return secret;
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot keep the development JWT secret in ${dataDir} (${(error as Error).message})`);
  }
}

function readOrCreateSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process may have written it between our read and write.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

function readGoogle(read: EnvReader): GoogleConfig | null {
  const clientId = read.optional('GOOGLE_CLIENT_ID');
  const clientSecret = read.optional('GOOGLE_CLIENT_SECRET');
  const callbackUrl = read.url('GOOGLE_CALLBACK_URL', ['http:', 'https:']);
  const given = [clientId, clientSecret, callbackUrl].filter((v) => v !== undefined).length;
  if (given === 0) return null;
  if (!clientId) throw new ConfigError('GOOGLE_CLIENT_ID', 'is required when the other GOOGLE_* credentials are set');
  if (!clientSecret) throw new ConfigError('GOOGLE_CLIENT_SECRET', 'is required when the other GOOGLE_* credentials are set');
  if (!callbackUrl) throw new ConfigError('GOOGLE_CALLBACK_URL', 'is required when the other GOOGLE_* credentials are set');
  const endpoint = (name: string, fallback: string) =>
    (read.url(name, ['http:', 'https:']) ?? new URL(fallback)).toString();
  return {
    clientId,
    clientSecret,
    callbackUrl: callbackUrl.toString(),
    authorizationUrl: endpoint('GOOGLE_AUTHORIZATION_URL', CONFIG_DEFAULTS.GOOGLE_AUTHORIZATION_URL),
    tokenUrl: endpoint('GOOGLE_TOKEN_URL', CONFIG_DEFAULTS.GOOGLE_TOKEN_URL),
    userInfoUrl: endpoint('GOOGLE_USERINFO_URL', CONFIG_DEFAULTS.GOOGLE_USERINFO_URL),
  };
}

/** The auth half of a start-up log line: the effective settings, never a secret or password. */
export function describeAuthConfig(auth: AuthConfig): string {
  return [
    `accessTtl=${auth.accessTokenTtlSeconds}s`,
    `refreshTtl=${auth.refreshTokenTtlSeconds}s`,
    `grace=${auth.refreshReuseGraceSeconds}s`,
    `sessionMaxAge=${auth.sessionMaxAgeSeconds}s`,
    `resetTtl=${auth.passwordResetTtlSeconds}s`,
    `emailTokenTtl=${auth.emailTokenTtlSeconds}s`,
    `emailVerification=${auth.emailVerification}`,
    `appUrl=${auth.appUrl}`,
    `mail=${describeMail(auth.mail)}`,
    `providers=password${auth.google ? ',google' : ''}`,
    `rateLimitStore=${auth.redisUrl ? 'redis' : 'memory'}`,
  ].join(' ');
}
