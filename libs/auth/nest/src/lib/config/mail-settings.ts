import { join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { CONFIG_DEFAULTS } from '@latchkey/auth-contract';
import type { EmailVerificationMode, MailConfig } from './auth-config';
import { ConfigError } from './config-error';
import { MAX_LINK_TTL_SECONDS, MIN_LINK_TTL_SECONDS } from './limits';
import type { EnvReader } from './env-reader';

const EMAIL_VERIFICATION_MODES: readonly EmailVerificationMode[] = ['optional', 'required'];
/** Longer than this, a link in a mail is a standing credential. */
/** A mailbox: local part @ domain, nothing that could open another header or address. */
// eslint-disable-next-line no-control-regex
const MAILBOX = /^[^\s\u0000-\u001f\u007f@<>()[\]",;:\\]+@[^\s\u0000-\u001f\u007f@<>()[\]",;:\\]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f]/g;

export interface MailSettings {
  readonly appUrl: string;
  readonly mail: MailConfig;
  readonly emailVerification: EmailVerificationMode;
  readonly passwordResetTtlSeconds: number;
  readonly emailTokenTtlSeconds: number;
}

/**
 * APP_URL, SMTP_URL, MAIL_FROM, EMAIL_VERIFICATION and the mail links' TTLs.
 * Production needs APP_URL (links must point at the public origin, never at
 * localhost) and SMTP_URL (the mail folder is for development).
 */
export function readMailSettings(read: EnvReader, { isProduction, dataDir, port }: { isProduction: boolean; dataDir: string; port: number }): MailSettings {
  const smtpUrl = readSmtpUrl(read, isProduction);
  return {
    appUrl: readAppUrl(read, isProduction, port),
    mail: {
      smtpUrl,
      from: readMailFrom(read),
      directory: smtpUrl ? null : join(dataDir, 'mail'),
    },
    emailVerification: read.oneOf('EMAIL_VERIFICATION', EMAIL_VERIFICATION_MODES, CONFIG_DEFAULTS.EMAIL_VERIFICATION),
    passwordResetTtlSeconds: read.integer('PASSWORD_RESET_TTL_SECONDS', CONFIG_DEFAULTS.PASSWORD_RESET_TTL_SECONDS, { min: MIN_LINK_TTL_SECONDS, max: MAX_LINK_TTL_SECONDS }),
    emailTokenTtlSeconds: read.integer('EMAIL_TOKEN_TTL_SECONDS', CONFIG_DEFAULTS.EMAIL_TOKEN_TTL_SECONDS, { min: MIN_LINK_TTL_SECONDS, max: MAX_LINK_TTL_SECONDS }),
  };
}

function readAppUrl(read: EnvReader, isProduction: boolean, port: number): string {
  const url = read.url('APP_URL', ['http:', 'https:']);
  if (!url) {
    if (isProduction) throw new ConfigError('APP_URL', 'is required when ENV=production (the origin users open, e.g. https://app.example.com)');
    return `http://localhost:${port}`;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigError('APP_URL', `must be an origin only, like https://app.example.com (no path, query, fragment or credentials; got "${url.origin}${url.pathname}…")`);
  }
  return url.origin;
}

function readSmtpUrl(read: EnvReader, isProduction: boolean): string | null {
  const url = read.url('SMTP_URL', ['smtp:', 'smtps:']);
  if (!url) {
    if (isProduction) throw new ConfigError('SMTP_URL', 'is required when ENV=production (smtp://user:pass@host:587 or smtps://user:pass@host:465)');
    return null;
  }
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host (smtp://user:pass@host:port)');
  return url.toString();
}

function readMailFrom(read: EnvReader): string {
  const raw = read.optional('MAIL_FROM') ?? CONFIG_DEFAULTS.MAIL_FROM;
  if (!isSenderAddress(raw)) {
    throw new ConfigError('MAIL_FROM', `must be one address, like "Latchkey <no-reply@example.com>" or no-reply@example.com (got "${raw.replace(CONTROLS, '?')}")`);
  }
  return raw;
}

/** A From header value naming exactly one mailbox, with or without a display name. */
export function isSenderAddress(raw: string): boolean {
  const parsed = CONTROL.test(raw) ? [] : addressparser(raw);
  const [only] = parsed;
  return parsed.length === 1 && !!only.address && MAILBOX.test(only.address);
}

/** One mailbox address (`local@domain`), nothing that could add a recipient or open a header. */
export function isMailboxAddress(address: string): boolean {
  return MAILBOX.test(address);
}

/** For the start-up line: where mail goes, without credentials. */
export function describeMail(mail: MailConfig): string {
  if (!mail.smtpUrl) return `folder ${mail.directory}`;
  const url = new URL(mail.smtpUrl);
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
  return `smtp ${url.hostname}:${port}`;
}
