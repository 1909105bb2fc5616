import type { MailKind } from './outgoing-mail';

/** One outbox row, addressed and ready to hand to a {@link MailTransport}. */
export interface MailMessage {
  /** The outbox row's id: also the mail's Message-ID, so a receiver can tell a repeat. */
  readonly id: string;
  readonly kind: MailKind;
  /** MAIL_FROM. */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Hands mail to the outside world. The default (see `MAIL_TRANSPORT`) is SMTP
 * at SMTP_URL, or the development mail folder without it; a host can bind its
 * own (an HTTP API of a mail provider, say) through `AuthModule.forRoot`'s
 * `mailTransport` option.
 *
 * @example
 * class ProviderApiTransport implements MailTransport {
 *   async send(message: MailMessage) { await providerClient.send({ ... }); }
 * }
 * AuthModule.forRoot(config, { mailTransport: ProviderApiTransport });
 */
export interface MailTransport {
  /**
   * Resolves once the server took the mail. Rejects when it refused or could
   * not be reached: the outbox retries with backoff, except after an error
   * {@link isPermanentMailError} calls permanent.
   */
  send(message: MailMessage): Promise<void>;
  /** Called once at shutdown, after the last send. */
  close?(): Promise<void> | void;
}

/**
 * An SMTP 5xx refusal of the recipient (no such mailbox, address rejected):
 * asking again will not change the answer. Every other error (the server
 * away, a 4xx, a rejected login) is worth retrying.
 */
export function isPermanentMailError(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && command === 'RCPT TO';
}

/** `<id@domain of from>`: stable for one outbox row however often it is sent. */
export function messageIdOf(message: Pick<MailMessage, 'id' | 'from'>): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(message.from)?.[1] ?? 'latchkey.invalid';
  return `<${message.id}@${domain}>`;
}
