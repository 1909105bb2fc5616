import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MailKind } from './outgoing-mail';

/** Where an outbox row is: waiting (or backing off), claimed by a sender, delivered, given up. */
export type MailStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One mail in the outbox (see `MailOutbox`, `MailSender`). Written in the
 * transaction of the change that causes it; the body is dropped once the
 * mail is sent or given up, so a link's token is kept no longer than needed.
 */
@Entity({ name: 'mail_outbox' })
@Check('CHK_mail_outbox_status', `"status" IN ('pending', 'sending', 'sent', 'failed')`)
@Index('IDX_mail_outbox_due', ['nextAttemptAt'], { where: `"status" IN ('pending', 'sending')` })
@Index('IDX_mail_outbox_finished', ['createdAt'], { where: `"status" IN ('sent', 'failed')` })
export class MailOutboxEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_mail_outbox' })
  id!: string;

  /** Null for a mail about no account, or once the account is deleted (no foreign key: users may live in a host's store). */
  @Index('IDX_mail_outbox_user_id')
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'text' })
  kind!: MailKind;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody!: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: MailStatus;

  /** Delivery attempts started, the current one included. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Pending: when to try (again). Sending: the claim's deadline, after which another sender may take the row. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
