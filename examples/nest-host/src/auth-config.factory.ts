import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { AuthConfig } from '@latchkey/auth-nest';

/**
 * Latchkey's configuration, built by hand from this app's own settings
 * (ConfigService: the environment and .env). AuthModule validates it like
 * its own environment config: a bad value stops start-up with a ConfigError
 * naming the field.
 */
export function authConfigFrom(config: ConfigService): AuthConfig {
  const isProduction = config.get<string>('NODE_ENV') === 'production';
  const port = Number(config.get<string>('PORT') ?? 3100);
  const smtpUrl = config.get<string>('SMTP_URL') ?? null;
  return {
    env: isProduction ? 'production' : 'development',
    isProduction,
    jwtSecret: config.get<string>('JWT_SECRET') ?? developmentSecret(isProduction),
    accessTokenTtlSeconds: Number(config.get<string>('ACCESS_TOKEN_TTL_SECONDS') ?? 15 * 60),
    refreshTokenTtlSeconds: 30 * 86_400,
    refreshReuseGraceSeconds: 30,
    sessionMaxAgeSeconds: 365 * 86_400,
    cookieNames: isProduction
      ? { access: '__Host-access_token', refresh: '__Secure-refresh_token', device: '__Secure-lk_device' }
      : { access: 'access_token', refresh: 'refresh_token', device: 'lk_device' },
    google: null,
    redisUrl: config.get<string>('REDIS_URL') ?? null,
    appUrl: config.get<string>('APP_URL') ?? `http://localhost:${port}`,
    // Without SMTP (development), every mail is written to MAIL_DIR as an .eml file.
    mail: { smtpUrl, from: 'Nest host <no-reply@localhost>', directory: smtpUrl ? null : (config.get<string>('MAIL_DIR') ?? join(process.cwd(), '.data', 'mail')) },
    emailVerification: 'optional',
    passwordResetTtlSeconds: 3600,
    emailTokenTtlSeconds: 86_400,
  };
}

/** Development only: a secret for this process (tokens die with a restart). Production needs JWT_SECRET. */
function developmentSecret(isProduction: boolean): string {
  if (isProduction) return '';
  new Logger('NestHost').warn('JWT_SECRET is unset: using a random secret for this process only');
  return randomBytes(48).toString('base64url');
}
