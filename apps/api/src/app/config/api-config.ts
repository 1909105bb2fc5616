import type { LogLevel } from '@nestjs/common';
import { CONFIG_DEFAULTS } from '@latchkey/auth-contract';
import { AuthConfig, ConfigError, describeAuthConfig, Environment, EnvReader, loadAuthConfig, readDataDir, readRuntimeEnv, RuntimeEnv } from '@latchkey/auth-nest';
import { parseTrustProxy, TrustProxy } from './trust-proxy';

/** Nest's levels, most verbose first. */
const LOG_LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** How the API process itself runs: port, database, proxies, docs, logs. */
export interface ServerConfig {
  readonly env: RuntimeEnv;
  readonly port: number;
  /** Null selects the embedded PGlite database under `dataDir`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /** TRUST_PROXY, passed to Express' `trust proxy` setting; never `true` in production. */
  readonly trustProxy: TrustProxy;
  /** API_DOCS: the OpenAPI UI and documents under `/api/docs`; off → 404. */
  readonly apiDocs: boolean;
  /** LOG_LEVEL: the least severe level the server's logger prints. */
  readonly logLevel: LogLevel;
}

/** The whole configuration of this server: its own settings and the auth module's. */
export interface ApiConfig {
  readonly server: ServerConfig;
  readonly auth: AuthConfig;
}

/**
 * Every variable of the contract's table, read once at boot: the server's own, then
 * the auth module's (`loadAuthConfig`). Throws the ConfigError of the first bad one.
 */
export function loadApiConfig(env: Environment = process.env): ApiConfig {
  return { server: loadServerConfig(env), auth: loadAuthConfig(env) };
}

export function loadServerConfig(env: Environment = process.env): ServerConfig {
  const read = new EnvReader(env);
  const runtimeEnv = readRuntimeEnv(read);
  const isProduction = runtimeEnv === 'production';
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  if (isProduction && !databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required when ENV=production (the embedded database is for development)');
  }
  return {
    env: runtimeEnv,
    port: read.integer('PORT', CONFIG_DEFAULTS.PORT, { min: 0, max: 65_535 }),
    databaseUrl: databaseUrl?.toString() ?? null,
    dataDir: readDataDir(read),
    trustProxy: parseTrustProxy(read.optional('TRUST_PROXY'), isProduction),
    apiDocs: read.boolean('API_DOCS', !isProduction),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, isProduction ? 'log' : 'debug'),
  };
}

/** One line for the start-up log: the effective settings, never a secret or password. */
export function describeConfig({ server, auth }: ApiConfig): string {
  const database = server.databaseUrl ? `postgres ${redactUrl(server.databaseUrl)}` : `pglite ${server.dataDir}`;
  return [
    `ENV=${server.env}`,
    `port=${server.port}`,
    `database=${database}`,
    describeAuthConfig(auth),
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
