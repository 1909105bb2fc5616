import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A session deleted with its account, remembered for one access-token
 * lifetime: an instance that starts meanwhile loads it into its revocation
 * registry, as it loads revoked sessions, and refuses that session's tokens.
 */
@Entity({ name: 'session_tombstones' })
export class SessionTombstoneEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Index('IDX_session_tombstones_revoked_at')
  @Column({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt!: Date;
}
