/** The mails Latchkey sends (CONTRACT.md "Email"). */
export type MailKind = 'email_verification' | 'email_change_confirmation' | 'password_reset' | 'password_changed' | 'email_changed';

/**
 * One rendered mail, as it is written to the outbox in the transaction of
 * the change that causes it, and later delivered as it is.
 */
export interface OutgoingMail {
  readonly kind: MailKind;
  readonly to: string;
  /** The account it concerns; null once that account is gone. */
  readonly userId: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}
