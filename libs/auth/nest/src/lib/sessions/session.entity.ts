import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One sign-in on one device: the `sid` of its access tokens. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The user's id in whatever store holds users: no foreign key, a host's user store keeps its own table. */
  @Index('IDX_sessions_user_id')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  /** The client address of the last sign-in or refresh (after TRUST_PROXY). */
  @Column({ name: 'ip_address', type: 'inet', nullable: true })
  ipAddress!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  /** Idle limit: moves with every refresh, never past `absoluteExpiresAt`. */
  @Index('IDX_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Login + SESSION_MAX_AGE_SECONDS, however active the session is. */
  @Column({ name: 'absolute_expires_at', type: 'timestamptz' })
  absoluteExpiresAt!: Date;

  @Index('IDX_sessions_revoked_at')
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason!: string | null;

  /**
   * The session's only live refresh token since its last rotation; every
   * other token of the session counts as used from `liveSince`. Null before
   * the first rotation (the session's one token is live).
   */
  @Column({ name: 'live_token_id', type: 'uuid', nullable: true })
  liveTokenId!: string | null;

  @Column({ name: 'live_since', type: 'timestamptz', nullable: true })
  liveSince!: Date | null;
}
