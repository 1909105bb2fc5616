import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a mailed link does when it is used. */
export type AccountTokenPurpose = 'password_reset' | 'email_verification' | 'email_change';

/**
 * One mailed link (see `AccountTokenStore`): single use, with an expiry; the
 * database keeps only the SHA-256 of the token. Written with SQL; the entity
 * declares the table for the schema check and for hosts' TypeORM connections.
 */
@Entity({ name: 'account_tokens' })
@Check('CHK_account_tokens_purpose', `purpose IN ('password_reset', 'email_verification', 'email_change')`)
@Check('CHK_account_tokens_new_email', `(purpose = 'email_change') = (new_email IS NOT NULL)`)
@Check('CHK_account_tokens_token_hash', `octet_length(token_hash) = 32`)
@Index('IDX_account_tokens_user_id_purpose', ['userId', 'purpose'])
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_account_tokens' })
  id!: string;

  /** No foreign key: the user may live in a host's own store (deleted with the account by AccountService). */
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  purpose!: AccountTokenPurpose;

  @Index('UQ_account_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash!: Buffer;

  /** The address an email-change link moves the account to (normalised). */
  @Column({ name: 'new_email', type: 'text', nullable: true })
  newEmail!: string | null;

  @Index('IDX_account_tokens_expires_at')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
