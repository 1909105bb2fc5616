import type { LogLevel } from '@nestjs/common';
import { AuthCookieNames } from '@latchkey/auth-contract';
import type { TrustProxy } from './trust-proxy';

export type RuntimeEnv = 'development' | 'production' | 'test';

export interface GoogleConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly callbackUrl: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly userInfoUrl: string;
}

/**
 * Everything the auth module needs, built once from the environment
 * (see `loadConfig`) or given by a host app through `AuthModule.forRoot`.
 */
export interface AuthConfig {
  readonly env: RuntimeEnv;
  /** Secure cookies, `__Host-`/`__Secure-` names and HSTS. */
  readonly isProduction: boolean;
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly refreshReuseGraceSeconds: number;
  readonly sessionMaxAgeSeconds: number;
  readonly cookieNames: AuthCookieNames;
  /** Null when Google sign-in is off. */
  readonly google: GoogleConfig | null;
  /** Shared store for rate limits; null keeps counters in memory. */
  readonly redisUrl: string | null;
}

/** How the API process itself runs: port, database, proxies. */
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
  /** LOG_LEVEL: the least severe level the host's logger prints. */
  readonly logLevel: LogLevel;
}

export interface LatchkeyConfig {
  readonly server: ServerConfig;
  readonly auth: AuthConfig;
}
