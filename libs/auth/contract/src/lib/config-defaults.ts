/** Defaults of ../shared/CONTRACT.md "Configuration". */
export const CONFIG_DEFAULTS = {
  ENV: 'development',
  PORT: 3000,
  DATA_DIR: '.data',
  ACCESS_TOKEN_TTL_SECONDS: 1800,
  REFRESH_TOKEN_TTL_SECONDS: 7_776_000,
  REFRESH_REUSE_GRACE_SECONDS: 30,
  SESSION_MAX_AGE_SECONDS: 31_536_000,
  GOOGLE_AUTHORIZATION_URL: 'https://accounts.google.com/o/oauth2/v2/auth',
  GOOGLE_TOKEN_URL: 'https://oauth2.googleapis.com/token',
  GOOGLE_USERINFO_URL: 'https://openidconnect.googleapis.com/v1/userinfo',
  MAIL_FROM: 'Latchkey <no-reply@localhost>',
  EMAIL_VERIFICATION: 'optional',
  PASSWORD_RESET_TTL_SECONDS: 3600,
  EMAIL_TOKEN_TTL_SECONDS: 86_400,
} as const;

/** Every environment variable Latchkey reads, in the contract's order. */
export const CONFIG_VARIABLES = [
  'ENV',
  'PORT',
  'DATABASE_URL',
  'DATA_DIR',
  'JWT_SECRET',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_SECONDS',
  'REFRESH_REUSE_GRACE_SECONDS',
  'SESSION_MAX_AGE_SECONDS',
  'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET',
  'GOOGLE_CALLBACK_URL',
  'GOOGLE_AUTHORIZATION_URL',
  'GOOGLE_TOKEN_URL',
  'GOOGLE_USERINFO_URL',
  'REDIS_URL',
  'TRUST_PROXY',
  'LOG_LEVEL',
  'API_DOCS',
  'APP_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'EMAIL_VERIFICATION',
  'PASSWORD_RESET_TTL_SECONDS',
  'EMAIL_TOKEN_TTL_SECONDS',
] as const;

export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

/** Minimum length of a production `JWT_SECRET` (HS256 wants ≥ 256 bits). */
export const MIN_PRODUCTION_SECRET_BYTES = 32;
