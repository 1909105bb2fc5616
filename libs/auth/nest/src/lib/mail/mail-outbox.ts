import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isMailboxAddress } from '../config/mail-settings';
import type { OutgoingMail } from './outgoing-mail';

/** NOTIFYed by every enqueue, at its commit: the senders listening wake at once. */
export const MAIL_OUTBOX_CHANNEL = 'latchkey_mail_outbox';

/**
 * Where a change puts the mails it causes. Each mail is a row written with
 * the caller's transaction manager, so it commits or rolls back with the
 * change; the background sender (`MailSender`) delivers it after the commit,
 * within about a second, and retries while the SMTP server is away.
 *
 * @example
 * await inTransaction(dataSource, async (manager) => {
 *   await tokens.insert(manager, …);
 *   await outbox.enqueue(manager, composer.passwordReset(user.email, user.id, token));
 * });
 */
@Injectable()
export class MailOutbox {
  /** Adds `mail` to the outbox inside the caller's transaction. */
  async enqueue(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    // A recipient list or a header break would send the mail somewhere else: refuse it here, loudly.
    if (!isMailboxAddress(mail.to)) throw new Error(`not one mailbox address: ${JSON.stringify(mail.to)}`);
    await manager.query(
      `WITH queued AS (
         INSERT INTO mail_outbox (user_id, kind, recipient, subject, text_body, html_body)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
       SELECT id, pg_notify('${MAIL_OUTBOX_CHANNEL}', '') FROM queued`,
      [mail.userId, mail.kind, mail.to, mail.subject, mail.text, mail.html],
    );
  }

  /**
   * Deletes the user's mails not sent yet (neither delivered nor given up)
   * and forgets whose the others were, in the caller's transaction: an
   * account being deleted gets no more mail. A mail a sender is handing
   * over right now may still arrive.
   */
  async discardPending(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM mail_outbox WHERE user_id = $1 AND status IN ('pending', 'sending')`, [userId]);
    await manager.query(`UPDATE mail_outbox SET user_id = NULL WHERE user_id = $1`, [userId]);
  }
}
