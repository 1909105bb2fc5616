import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AccountTokenPurpose } from './account-token.entity';
import { generateOpaqueToken, hashOpaqueToken, isWellFormedOpaqueToken } from './opaque-token';

export type { AccountTokenPurpose } from './account-token.entity';

export interface AccountTokenRequest {
  userId: string;
  purpose: AccountTokenPurpose;
  ttlSeconds: number;
  /** For `email_change`: the (normalised) address the link moves the account to. */
  newEmail?: string;
  /** A newer link of this purpose voids the account's older unused ones. */
  voidsOlder: boolean;
  now: Date;
}

/** What a live token lets its bearer do. */
export interface AccountTokenGrant {
  userId: string;
  purpose: AccountTokenPurpose;
  newEmail: string | null;
}

interface GrantRow {
  user_id: string;
  purpose: AccountTokenPurpose;
  new_email: string | null;
}

/**
 * SQL for `account_tokens`, the tokens of mailed links (password reset, email
 * verification, email change): 256 random bits, only their SHA-256 stored,
 * each usable once before it expires. Writes join the caller's transaction,
 * so a token exists exactly when the mail carrying it is in the outbox.
 */
@Injectable()
export class AccountTokenStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A new token (returned; only its hash is stored). For a user id that does
   * not exist nothing is written, after the same work: `password/forgot`
   * does this for unknown addresses so that they cost what known ones do.
   */
  async issue(tx: EntityManager, request: AccountTokenRequest): Promise<{ token: string; isStored: boolean }> {
    const token = generateOpaqueToken();
    const expiresAt = new Date(request.now.getTime() + request.ttlSeconds * 1000);
    const [row]: { issued: number }[] = await tx.query(
      `WITH voided AS (
         UPDATE account_tokens SET used_at = $6
          WHERE $7::boolean AND user_id = $1 AND purpose = $2 AND used_at IS NULL RETURNING id),
       issued AS (
         INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, expires_at, created_at)
         SELECT u.id, $2, $3, $4, $5, $6 FROM users u WHERE u.id = $1 RETURNING id)
       SELECT (SELECT count(*) FROM issued)::int AS issued, (SELECT count(*) FROM voided)::int AS voided`,
      [request.userId, request.purpose, hashOpaqueToken(token), request.newEmail ?? null, expiresAt, request.now, request.voidsOlder],
    );
    return { token, isStored: row.issued === 1 };
  }

  /** What a live token grants, without using it: a cheap check before costly work (hashing a password). */
  async peek(token: unknown, purposes: readonly AccountTokenPurpose[], now: Date): Promise<AccountTokenGrant | null> {
    if (!isWellFormedOpaqueToken(token)) return null;
    const rows: GrantRow[] = await this.dataSource.query(
      `SELECT user_id, purpose, new_email FROM account_tokens
        WHERE token_hash = $1 AND purpose = ANY($3::text[]) AND used_at IS NULL AND expires_at > $2`,
      [hashOpaqueToken(token), now, purposes],
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }

  /**
   * Uses a token: one atomic UPDATE that only a live token (unused,
   * unexpired, of one of `purposes`) passes. Of concurrent uses, one wins;
   * the others wait on its row lock, then find it used. Null for every
   * token that does not pass, alike.
   */
  async consume(tx: EntityManager, token: unknown, purposes: readonly AccountTokenPurpose[], now: Date): Promise<AccountTokenGrant | null> {
    if (!isWellFormedOpaqueToken(token)) return null;
    const rows: GrantRow[] = await tx.query(
      `WITH used AS (
         UPDATE account_tokens SET used_at = $2
          WHERE token_hash = $1 AND purpose = ANY($3::text[]) AND used_at IS NULL AND expires_at > $2
          RETURNING user_id, purpose, new_email)
       SELECT * FROM used`,
      [hashOpaqueToken(token), now, purposes],
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }

  /** Voids every unused token of the user (of `purposes`, or all): after a takeover or an email change. */
  async voidAll(tx: EntityManager, userId: string, now: Date, purposes?: readonly AccountTokenPurpose[]): Promise<number> {
    const rows: unknown[] = await tx.query(
      `WITH voided AS (
         UPDATE account_tokens SET used_at = $2
          WHERE user_id = $1 AND used_at IS NULL AND ($3::text[] IS NULL OR purpose = ANY($3::text[])) RETURNING id)
       SELECT id FROM voided`,
      [userId, now, purposes ?? null],
    );
    return rows.length;
  }

  /** Deletes every token of the user, in the caller's transaction (account deletion). */
  async deleteOfUser(tx: EntityManager, userId: string): Promise<void> {
    await tx.query(`DELETE FROM account_tokens WHERE user_id = $1`, [userId]);
  }

  /** Deletes what no longer opens anything: tokens expired or used before `before`. */
  async deleteStale(before: Date): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1 RETURNING id) SELECT id FROM gone`,
      [before],
    );
    return rows.length;
  }
}

function toGrant(row: GrantRow): AccountTokenGrant {
  return { userId: row.user_id, purpose: row.purpose, newEmail: row.new_email };
}
