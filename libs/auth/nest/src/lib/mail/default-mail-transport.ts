import type { AuthConfig } from '../config/auth-config';
import { ConfigError } from '../config/config-error';
import { FolderMailTransport } from './folder-mail-transport';
import type { MailTransport } from './mail-transport';
import { SmtpMailTransport } from './smtp-mail-transport';

/** SMTP at SMTP_URL; without it (development), the mail folder. */
export function defaultMailTransport(config: AuthConfig): MailTransport {
  if (config.mail.smtpUrl) return new SmtpMailTransport(config.mail.smtpUrl);
  if (config.mail.directory) return new FolderMailTransport(config.mail.directory);
  throw new ConfigError('SMTP_URL', 'is required when there is no mail folder (mail.directory) to write to');
}
