import type { LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_DEFAULTS,
  MIN_PRODUCTION_SECRET_BYTES,
  authCookieNames,
} from '@latchkey/auth-contract';
import { GoogleConfig, LatchkeyConfig, RuntimeEnv, ServerConfig } from './auth-config';
import { ConfigError } from './config-error';
import { EnvReader, Environment } from './env-reader';
import { MAX_REUSE_GRACE_SECONDS, MAX_TTL_SECONDS } from './limits';
import { describeMail, readMailSettings } from './mail-settings';
import { makePrivateDirectory } from './private-directory';
import { parseTrustProxy, TrustProxy } from './trust-proxy';

const RUNTIME_ENVS: readonly RuntimeEnv[] = ['development', 'production', 'test'];
/** Nest's levels, most verbose first. */
const LOG_LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * Builds the whole configuration from the environment once, at boot.
 * Throws {@link ConfigError} naming the first bad variable.
 */
export function loadConfig(env: Environment = process.env): LatchkeyConfig {
  const read = new EnvReader(env);
  const runtimeEnv = read.oneOf('ENV', RUNTIME_ENVS, CONFIG_DEFAULTS.ENV);
  const isProduction = runtimeEnv === 'production';

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  if (isProduction && !databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required when ENV=production (the embedded database is for development)');
  }
  const dataDir = resolve(read.optional('DATA_DIR') ?? CONFIG_DEFAULTS.DATA_DIR);

  const server: ServerConfig = {
    env: runtimeEnv,
    port: read.integer('PORT', CONFIG_DEFAULTS.PORT, { min: 0, max: 65_535 }),
    databaseUrl: databaseUrl?.toString() ?? null,
    dataDir,
    trustProxy: parseTrustProxy(read.optional('TRUST_PROXY'), isProduction),
    apiDocs: read.boolean('API_DOCS', !isProduction),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, isProduction ? 'log' : 'debug'),
  };

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
  const mailSettings = readMailSettings(read, { isProduction, dataDir, port: server.port });

  return {
    server,
    auth: {
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
    },
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

/** One line for the start-up log: the effective settings, never a secret or password. */
export function describeConfig({ server, auth }: LatchkeyConfig): string {
  const database = server.databaseUrl ? `postgres ${redactUrl(server.databaseUrl)}` : `pglite ${server.dataDir}`;
  return [
    `ENV=${server.env}`,
    `port=${server.port}`,
    `database=${database}`,
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
    `trustProxy=${describeTrustProxy(server.trustProxy)}`,
    `apiDocs=${server.apiDocs ? 'on' : 'off'}`,
    `logLevel=${server.logLevel}`,
  ].join(' ');
}

/** The levels a logger prints at LOG_LEVEL=`level`: that one and every more severe one, for Nest's `logger` option. */
export function logLevelsFrom(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(LOG_LEVELS.indexOf(level));
}

function describeTrustProxy(trustProxy: TrustProxy): string {
  if (trustProxy === false) return 'off';
  return Array.isArray(trustProxy) ? trustProxy.join(',') : String(trustProxy);
}

/** Host and database name only: user and password stay out of logs. */
function redactUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.host}${url.pathname}`;
}
