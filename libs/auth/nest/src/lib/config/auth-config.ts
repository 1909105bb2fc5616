import { AuthCookieNames } from '@latchkey/auth-contract';

export type RuntimeEnv = 'development' | 'production' | 'test';

export interface GoogleConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly callbackUrl: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly userInfoUrl: string;
}

/** EMAIL_VERIFICATION: `required` keeps an unverified account from signing in with its password. */
export type EmailVerificationMode = 'optional' | 'required';

/** How mail leaves the server. */
export interface MailConfig {
  /** SMTP_URL (`smtp://` or `smtps://`, credentials included); null in development → the mail folder. */
  readonly smtpUrl: string | null;
  /** MAIL_FROM: the sender of every mail, e.g. `Latchkey <no-reply@example.com>`. */
  readonly from: string;
  /** DATA_DIR/mail when there is no SMTP_URL: each mail is written there as an `.eml` file; else null. */
  readonly directory: string | null;
}

/**
 * Everything the auth module needs, built once from the environment
 * (see `loadAuthConfig`) or given by a host app through `AuthModule.forRoot`.
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
  /** APP_URL: the origin users see, without a trailing slash; every link in a mail points there. */
  readonly appUrl: string;
  readonly mail: MailConfig;
  readonly emailVerification: EmailVerificationMode;
  /** Life of a password-reset link. */
  readonly passwordResetTtlSeconds: number;
  /** Life of a verification or email-change link. */
  readonly emailTokenTtlSeconds: number;
}
