import { createTransport } from 'nodemailer';
import type { MailMessage, MailTransport } from './mail-transport';
import { messageIdOf } from './mail-transport';

/**
 * Bounds one delivery attempt (connect, greeting, each reply), well inside
 * the outbox's claim on a row, so a stuck server is an error to retry, never
 * a send that another instance could repeat.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/**
 * SMTP through nodemailer, at SMTP_URL: `smtp://` upgrades with STARTTLS when
 * the server offers it, `smtps://` speaks TLS from the start; credentials and
 * nodemailer's options come from the URL. A small pool of connections: a burst
 * of mails does not pay a handshake (TLS, login, the server's greeting delay)
 * for each, and a connection the server dropped is replaced on the next mail.
 */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: ReturnType<typeof createTransport>;

  constructor(smtpUrl: string) {
    this.transporter = createTransport({ url: smtpUrl, pool: true, maxConnections: 2, ...SMTP_TIMEOUTS });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: messageIdOf(message),
      // The content is ours, but never let a body pull in files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  close(): void {
    this.transporter.close();
  }
}
