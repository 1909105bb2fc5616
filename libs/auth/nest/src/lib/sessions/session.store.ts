import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionInfo } from '@latchkey/auth-contract';
import { DataSource, EntityManager } from 'typeorm';

export const REVOCATION_CHANNEL = 'latchkey_session_revoked';

export type RevocationReason = 'logout' | 'logout_all' | 'deleted' | 'refresh_token_reuse';

export interface SessionTimes {
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface LockedToken {
  tokenId: string;
  usedAt: Date | null;
  sessionId: string;
  userId: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
}

/** SQL for the `sessions` and `refresh_tokens` tables; callers own the transaction. */
@Injectable()
export class SessionStore {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** A session and its first refresh token, in one atomic statement. */
  async openSession(userId: string, userAgent: string | null, times: SessionTimes, tokenHash: Buffer): Promise<string> {
    const [row] = await this.dataSource.query(
      `WITH session AS (
         INSERT INTO sessions (user_id, user_agent, created_at, last_used_at, expires_at, absolute_expires_at)
         VALUES ($1, $2, $3, $3, $4, $5) RETURNING id)
       INSERT INTO refresh_tokens (session_id, token_hash, issued_at) SELECT id, $6, $3 FROM session RETURNING session_id`,
      [userId, userAgent, times.createdAt, times.expiresAt, times.absoluteExpiresAt, tokenHash],
    );
    return row.session_id;
  }

  /**
   * The token and its session, both locked until the transaction ends, so
   * concurrent refreshes of one session run one after another and each sees
   * the last one's `used_at`.
   */
  async lockByTokenHash(m: EntityManager, tokenHash: Buffer): Promise<LockedToken | null> {
    const [row] = await m.query(
      `SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id, s.expires_at, s.absolute_expires_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1
          FOR UPDATE OF s, t`,
      [tokenHash],
    );
    if (!row) return null;
    return {
      tokenId: row.token_id,
      usedAt: row.used_at,
      sessionId: row.session_id,
      userId: row.user_id,
      expiresAt: row.expires_at,
      absoluteExpiresAt: row.absolute_expires_at,
      revokedAt: row.revoked_at,
    };
  }

  /**
   * One rotation step in one round trip: mark the presented token used (unless
   * it already was), add the next token, and move the session's idle limit.
   */
  async rotate(m: EntityManager, step: { tokenId: string; markUsed: boolean; sessionId: string; nextTokenHash: Buffer; now: Date; expiresAt: Date; userAgent: string | null }): Promise<void> {
    await m.query(
      `WITH used AS (UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND $3::boolean RETURNING id),
            issued AS (INSERT INTO refresh_tokens (session_id, token_hash, issued_at) VALUES ($4, $5, $2) RETURNING id)
       UPDATE sessions SET last_used_at = $2, expires_at = $6, user_agent = COALESCE($7, user_agent) WHERE id = $4`,
      [step.tokenId, step.now, step.markUsed, step.sessionId, step.nextTokenHash, step.expiresAt, step.userAgent],
    );
  }

  /** The session of a refresh token, if the token is known (used or not). */
  async findSessionOfToken(tokenHash: Buffer): Promise<{ sessionId: string; userId: string } | null> {
    const [row] = await this.dataSource.query(
      `SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return row ? { sessionId: row.id, userId: row.user_id } : null;
  }

  /**
   * Revokes matching live sessions and announces them on the revocation
   * channel; PostgreSQL delivers the notification when the transaction commits.
   */
  async revoke(m: EntityManager, where: { sessionId: string; userId?: string } | { userId: string }, reason: RevocationReason, at: Date): Promise<string[]> {
    const rows: { id: string }[] =
      'sessionId' in where
        ? await m.query(
            `UPDATE sessions SET revoked_at = $3, revoked_reason = $4
              WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) AND revoked_at IS NULL RETURNING id`,
            [where.sessionId, where.userId ?? null, at, reason],
          )
        : await m.query(
            `UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
            [where.userId, at, reason],
          );
    // pg returns [rows, count] for UPDATE … RETURNING through TypeORM's query().
    const ids = normaliseReturning(rows).map((row) => row.id);
    if (ids.length > 0) {
      await m.query(`SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id`, [REVOCATION_CHANNEL, ids]);
    }
    return ids;
  }

  async listActive(userId: string, currentSessionId: string, now: Date): Promise<SessionInfo[]> {
    const rows: { id: string; created_at: Date; last_used_at: Date; expires_at: Date; user_agent: string | null }[] = await this.dataSource.query(
      `SELECT id, created_at, last_used_at, expires_at, user_agent FROM sessions
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
        ORDER BY last_used_at DESC`,
      [userId, now],
    );
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
      userAgent: row.user_agent,
      current: row.id === currentSessionId,
    }));
  }

  /** Session ids revoked after `since`: what the revocation registry must know. */
  async revokedSince(since: Date): Promise<{ id: string; revokedAt: Date }[]> {
    const rows: { id: string; revoked_at: Date }[] = await this.dataSource.query(`SELECT id, revoked_at FROM sessions WHERE revoked_at > $1`, [since]);
    return rows.map((row) => ({ id: row.id, revokedAt: row.revoked_at }));
  }

  /**
   * Deletes what can no longer be used: sessions past their limits or revoked
   * before `revokedBefore` (their tokens go with them), and tokens used
   * before `usedBefore`.
   */
  async deleteStale(now: Date, revokedBefore: Date, usedBefore: Date): Promise<{ sessions: number; tokens: number }> {
    const sessions = await this.dataSource.query(
      `DELETE FROM sessions WHERE expires_at < $1 OR absolute_expires_at < $1 OR revoked_at < $2`,
      [now, revokedBefore],
    );
    const tokens = await this.dataSource.query(`DELETE FROM refresh_tokens WHERE used_at < $1`, [usedBefore]);
    return { sessions: affected(sessions), tokens: affected(tokens) };
  }
}

function normaliseReturning<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
