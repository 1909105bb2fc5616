import type { DataSource } from 'typeorm';
import type { MailKind } from './outgoing-mail';
import type { MailStatus } from './mail-outbox.entity';

/** A row a sender claimed: it is `sending` until `markSent` / `markAttemptFailed`, or until the claim runs out. */
export interface ClaimedMail {
  readonly id: string;
  readonly kind: MailKind;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The number of this attempt (1 for the first): the claim's identity. */
  readonly attempt: number;
}

export interface FailedAttempt {
  /** Seconds until the next attempt. */
  readonly retryInSeconds: number;
  /** Give up now, whatever the horizon. */
  readonly permanent: boolean;
  /** Give up once the row is older than this. */
  readonly horizonSeconds: number;
  readonly error: string;
}

/**
 * The sender's side of the outbox, one atomic statement each (an UPDATE or
 * DELETE inside WITH, so TypeORM's `query()` returns its rows), on the
 * database's clock (shared by every instance). A claim is a short
 * transaction of its own: it moves one due row to `sending` with a deadline
 * (`next_attempt_at`), so while one instance delivers it no other takes it,
 * and a row claimed by an instance that died comes back after the deadline.
 */
export class MailOutboxStore {
  constructor(readonly dataSource: DataSource) {}

  /** The oldest due row, claimed until `leaseSeconds` from now; null when none is due (or all due ones are being claimed). */
  async claimNext(leaseSeconds: number): Promise<ClaimedMail | null> {
    const rows: { id: string; kind: MailKind; recipient: string; subject: string; text_body: string | null; html_body: string | null; attempts: number }[] =
      await this.dataSource.query(
        `WITH claimed AS (
           UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = now() + $1 * interval '1 second'
            WHERE id = (SELECT id FROM mail_outbox
                         WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT 1
                         FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, recipient, subject, text_body, html_body, attempts)
         SELECT * FROM claimed`,
        [leaseSeconds],
      );
    const row = rows[0];
    if (!row) return null;
    return { id: row.id, kind: row.kind, to: row.recipient, subject: row.subject, text: row.text_body ?? '', html: row.html_body ?? '', attempt: row.attempts };
  }

  /** Delivered: the body (and the token in its link) is dropped. False when the claim was lost meanwhile. */
  async markSent(mail: Pick<ClaimedMail, 'id' | 'attempt'>): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH sent AS (
         UPDATE mail_outbox SET status = 'sent', sent_at = now(), text_body = NULL, html_body = NULL
          WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id)
       SELECT id FROM sent`,
      [mail.id, mail.attempt],
    );
    return rows.length > 0;
  }

  /** Back to `pending` for a later attempt, or `failed` (body dropped) past the horizon; null when the claim was lost. */
  async markAttemptFailed(mail: Pick<ClaimedMail, 'id' | 'attempt'>, failure: FailedAttempt): Promise<Extract<MailStatus, 'pending' | 'failed'> | null> {
    const givesUp = `($3::boolean OR created_at <= now() - $4 * interval '1 second')`;
    const rows: { status: 'pending' | 'failed' }[] = await this.dataSource.query(
      `WITH judged AS (
         UPDATE mail_outbox SET
            status = CASE WHEN ${givesUp} THEN 'failed' ELSE 'pending' END,
            text_body = CASE WHEN ${givesUp} THEN NULL ELSE text_body END,
            html_body = CASE WHEN ${givesUp} THEN NULL ELSE html_body END,
            next_attempt_at = now() + $5 * interval '1 second',
            last_error = $6
          WHERE id = $1 AND status = 'sending' AND attempts = $2
          RETURNING status)
       SELECT status FROM judged`,
      [mail.id, mail.attempt, failure.permanent, failure.horizonSeconds, failure.retryInSeconds, failure.error],
    );
    return rows[0]?.status ?? null;
  }

  /** Seconds until the next row is due (≤ 0: due now); null when nothing waits. */
  async secondsUntilNextDue(): Promise<number | null> {
    const [row]: { seconds: string | number | null }[] = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now()) AS seconds FROM mail_outbox WHERE status IN ('pending', 'sending')`,
    );
    return row?.seconds === null || row?.seconds === undefined ? null : Number(row.seconds);
  }

  /** Deletes delivered rows created before `sentBefore` and given-up ones before `failedBefore`. */
  async deleteFinished(sentBefore: Date, failedBefore: Date): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH deleted AS (
         DELETE FROM mail_outbox
          WHERE (status = 'sent' AND created_at < $1) OR (status = 'failed' AND created_at < $2)
          RETURNING id)
       SELECT id FROM deleted`,
      [sentBefore, failedBefore],
    );
    return rows.length;
  }
}
