import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionInfo } from '@latchkey/auth-contract';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { embeddedConnectionOf } from '../database/embedded-connection';
import { PreparedStatement } from '../database/prepared-statement';
import type { SessionClient } from './session-client';

export const REVOCATION_CHANNEL = 'latchkey_session_revoked';

export type RevocationReason =
  | 'logout'
  | 'logout_all'
  | 'deleted'
  | 'refresh_token_reuse'
  | 'password_reset'
  | 'password_changed'
  | 'account_deleted'
  | 'account_taken_over';

/** Which live sessions a revocation ends: one (of a user, if given), or all of a user's but one. */
export type RevocationTarget = { sessionId: string; userId?: string } | { userId: string; exceptSessionId?: string };

export interface SessionTimes {
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface RotationStep {
  /** SHA-256 of the presented refresh token, and of the one to issue. */
  presentedHash: Buffer;
  nextHash: Buffer;
  now: Date;
  graceSeconds: number;
  /** REFRESH_TOKEN_TTL_SECONDS: the idle limit from now. */
  idleSeconds: number;
  client: SessionClient;
}

export type RotationOutcome = 'rotated' | 'theft' | 'session_revoked' | 'session_expired';

export interface RotationResult {
  outcome: RotationOutcome;
  userId: string;
  sessionId: string;
  /** The presented token had been used before (within the grace, when rotated). */
  reused: boolean;
  /** The session's new idle limit; null unless rotated. */
  expiresAt: Date | null;
}

interface RotationRow {
  outcome: RotationOutcome;
  user_id: string;
  session_id: string;
  reused: boolean;
  expires_at: Date | null;
}

/** The hot paths' statements, prepared once per connection (see {@link PreparedStatement}). */
const OPEN_SESSION = new PreparedStatement<{ session_id: string }>(
  'latchkey_open_session',
  `WITH session AS (
     INSERT INTO sessions (user_id, user_agent, ip_address, created_at, last_used_at, expires_at, absolute_expires_at)
     VALUES ($1, $2, $7::inet, $3, $3, $4, $5) RETURNING id)
   INSERT INTO refresh_tokens (session_id, token_hash, issued_at) SELECT id, $6, $3 FROM session RETURNING session_id`,
);

const ROTATE = new PreparedStatement<RotationRow>(
  'latchkey_rotate_refresh_token',
  `WITH presented AS MATERIALIZED (
     SELECT t.id AS token_id, s.id AS session_id, s.user_id, s.expires_at, s.absolute_expires_at, s.revoked_at,
            -- A token the session no longer names as its live one counts as used from the moment
            -- the next token was issued (by a replay within the grace), even if it was never
            -- presented; live_since stands in for that token while it is not yet in our snapshot.
            COALESCE(t.used_at, CASE WHEN s.live_token_id IS NOT NULL AND s.live_token_id <> t.id THEN COALESCE(
              (SELECT min(o.issued_at) FROM refresh_tokens o WHERE o.session_id = t.session_id AND o.id <> t.id AND o.issued_at >= t.issued_at),
              s.live_since) END) AS used_at
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
      WHERE t.token_hash = $1
        FOR UPDATE OF s, t),
   judged AS MATERIALIZED (
     SELECT p.*, CASE
              WHEN p.revoked_at IS NOT NULL THEN 'session_revoked'
              WHEN p.expires_at <= $3::timestamptz OR p.absolute_expires_at <= $3::timestamptz THEN 'session_expired'
              WHEN p.used_at < $3::timestamptz - make_interval(secs => $4::float8) THEN 'theft'
              ELSE 'rotated' END AS outcome
       FROM presented p),
   used AS (
     UPDATE refresh_tokens t SET used_at = COALESCE(t.used_at, $3) FROM judged j
      WHERE t.id = j.token_id AND j.outcome = 'rotated'),
   issued AS (
     INSERT INTO refresh_tokens (session_id, token_hash, issued_at)
     SELECT session_id, $2, $3 FROM judged WHERE outcome = 'rotated'
     RETURNING id),
   touched AS (
     UPDATE sessions s
        SET last_used_at = GREATEST(s.last_used_at, $3::timestamptz),
            expires_at = LEAST(GREATEST(s.expires_at, $3::timestamptz + make_interval(secs => $5::float8)), s.absolute_expires_at),
            user_agent = COALESCE($6, s.user_agent),
            ip_address = COALESCE($7::inet, s.ip_address),
            live_token_id = (SELECT id FROM issued),
            live_since = $3
       FROM judged j WHERE s.id = j.session_id AND j.outcome = 'rotated'
     RETURNING s.expires_at),
   revoked AS (
     UPDATE sessions s SET revoked_at = $3, revoked_reason = 'refresh_token_reuse'
       FROM judged j WHERE s.id = j.session_id AND j.outcome = 'theft' AND s.revoked_at IS NULL
     RETURNING s.id),
   notified AS (SELECT pg_notify('${REVOCATION_CHANNEL}', id::text) FROM revoked)
   SELECT j.outcome, j.user_id, j.session_id, j.used_at IS NOT NULL AS reused,
          (SELECT expires_at FROM touched) AS expires_at,
          -- Read here so that notified's pg_notify runs: a plain WITH SELECT nobody reads is skipped.
          (SELECT count(*) FROM notified) AS notified
     FROM judged j`,
);

/** What a cleanup deletes, one kind at a time. */
export type StaleRowKind = 'usedTokens' | 'expiredSessions' | 'revokedSessions' | 'tombstones';

/** One batch's outcome: rows deleted, and the oldest instant among them (where the next batch starts). */
export interface StaleBatch {
  deleted: number;
  first: Date | null;
}

/**
 * Deletes at most `limit` rows of `kind` older than `before`, from `from` on
 * (null: from the oldest).
 */
export type StaleRowDeleter = (kind: StaleRowKind, before: Date, limit: number, from: Date | null) => Promise<StaleBatch>;

/**
 * One bounded batch of each kind ($1 the limit, $2 the batch size, $3 where
 * to start): rows picked oldest first by an index range scan (see
 * CleanupIndexes1765500000000), deleted by `ctid`. A deleted row's index
 * entries stay until VACUUM, and a scan that meets one reads the table to
 * learn it is dead (then marks it, and later scans skip it unread). So each
 * batch starts where the one before it started, stepping over that one's
 * rows once: from the oldest every time, each batch would read every earlier
 * one's again; starting past them, the next run's first batch would read
 * them all at once (345 ms after 742 k rows, tools/bench/cleanup-bench.mjs).
 * The condition is tested again on the row deleted: a row changed since it
 * was picked (a refresh just before its idle limit) is left alone. A
 * session's idle limit never passes its absolute one (`openSession` and
 * `rotate` clamp it), so `expires_at` alone finds every expired session; its
 * refresh tokens go with it (ON DELETE CASCADE, by IDX_refresh_tokens_session_id).
 */
export const STALE_ROW_DELETES: Record<StaleRowKind, string> = {
  usedTokens: staleRowDelete('refresh_tokens', 'used_at'),
  expiredSessions: staleRowDelete('sessions', 'expires_at'),
  revokedSessions: staleRowDelete('sessions', 'revoked_at'),
  tombstones: staleRowDelete('session_tombstones', 'revoked_at'),
};

function staleRowDelete(table: string, column: string): string {
  return `WITH gone AS (
     DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM ${table} WHERE ${column} < $1 AND ${column} >= $3::timestamptz ORDER BY ${column} LIMIT $2)) AND ${column} < $1
     RETURNING ${column} AS at)
   SELECT count(*)::int AS deleted, min(at) AS first FROM gone`;
}

/** The cleanup's advisory lock: the first 8 bytes of SHA-256("latchkey:session-cleanup"), unlikely to be a host's own key. */
export const CLEANUP_LOCK_KEY = '-5255792940035456245';

type DroppableQueryRunner = QueryRunner & { releasePostgresConnection?: (error: unknown) => Promise<void> };

/** SQL for the `sessions` and `refresh_tokens` tables: each write is one atomic statement. */
@Injectable()
export class SessionStore {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** A session and its first refresh token, in one atomic statement. */
  async openSession(userId: string, client: SessionClient, times: SessionTimes, tokenHash: Buffer): Promise<string> {
    const [row] = await OPEN_SESSION.rows(this.dataSource, [userId, client.userAgent, times.createdAt, times.expiresAt, times.absoluteExpiresAt, tokenHash, client.ipAddress]);
    return row.session_id;
  }

  /**
   * One rotation, judged and written in one statement (one round trip, no
   * explicit transaction): the presented token and its session are locked
   * (`FOR UPDATE`, so concurrent refreshes of one session run one after
   * another and each sees the last one's `used_at`), then exactly one of:
   * - `rotated`: the presented token is marked used (unless it already was,
   *   within the grace), the next one is added and the session names it as
   *   its only live token (`live_token_id`, since `live_since`): every other
   *   token of the session counts as used from then on, so after a replay
   *   within the grace the other chain's token is theft once the grace is
   *   over. The pointer lives on the session row because that row is the one
   *   a statement queued on the lock reads as committed: tokens another
   *   rotation inserted meanwhile are not in its snapshot. The session's idle
   *   limit moves to `now + idle`, never past its absolute limit;
   * - `theft`: a token used more than `graceSeconds` ago; the session is
   *   revoked and announced on the revocation channel at commit;
   * - `session_revoked` / `session_expired`: nothing is written.
   * No row: the token is unknown. `now` is the caller's clock, read when the
   * request arrived: a request queued on the lock is judged as of its arrival
   * (a retry that came in before the grace ran out is not theft), and since it
   * can then be a little behind the row, the session's instants never move
   * backwards.
   */
  async rotate(step: RotationStep): Promise<RotationResult | null> {
    const [row] = await ROTATE.rows(this.dataSource, [step.presentedHash, step.nextHash, step.now, step.graceSeconds, step.idleSeconds, step.client.userAgent, step.client.ipAddress]);
    if (!row) return null;
    return { outcome: row.outcome, userId: row.user_id, sessionId: row.session_id, reused: row.reused, expiresAt: row.expires_at };
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
   * channel, in one statement; PostgreSQL delivers the notifications when it
   * commits. With `tx`, inside the caller's transaction.
   */
  async revoke(where: RevocationTarget, reason: RevocationReason, at: Date, tx?: EntityManager): Promise<string[]> {
    const [match, params] =
      'sessionId' in where
        ? ['id = $3 AND ($4::uuid IS NULL OR user_id = $4)', [where.sessionId, where.userId ?? null]]
        : ['user_id = $3 AND ($4::uuid IS NULL OR id <> $4)', [where.userId, where.exceptSessionId ?? null]];
    const rows: { id: string }[] = await (tx ?? this.dataSource).query(
      `WITH revoked AS (
         UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE ${match} AND revoked_at IS NULL RETURNING id)
       SELECT id, pg_notify('${REVOCATION_CHANNEL}', id::text) FROM revoked`,
      [at, reason, ...params],
    );
    return rows.map((row) => row.id);
  }

  /** When the live session was opened by a sign-in (refreshes do not move it); null when revoked or unknown. */
  async signedInAt(sessionId: string): Promise<Date | null> {
    const [row]: { created_at: Date }[] = await this.dataSource.query(`SELECT created_at FROM sessions WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
    return row?.created_at ?? null;
  }

  /** Deletes every session of the user and its refresh tokens, in the caller's transaction. */
  async deleteOfUser(tx: EntityManager, userId: string): Promise<void> {
    // Tombstones, so an instance that starts within the access-token lifetime still refuses them.
    await tx.query(
      `WITH gone AS (DELETE FROM sessions WHERE user_id = $1 RETURNING id, COALESCE(revoked_at, now()) AS revoked_at)
       INSERT INTO session_tombstones (session_id, revoked_at) SELECT id, revoked_at FROM gone ON CONFLICT DO NOTHING`,
      [userId],
    );
  }

  async listActive(userId: string, currentSessionId: string, now: Date): Promise<SessionInfo[]> {
    const rows: { id: string; created_at: Date; last_used_at: Date; expires_at: Date; user_agent: string | null; ip_address: string | null }[] = await this.dataSource.query(
      `SELECT id, created_at, last_used_at, expires_at, user_agent, host(ip_address) AS ip_address FROM sessions
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
      ipAddress: row.ip_address,
      current: row.id === currentSessionId,
    }));
  }

  /** Session ids revoked after `since`: what the revocation registry must know. */
  async revokedSince(since: Date): Promise<{ id: string; revokedAt: Date }[]> {
    const rows: { id: string; revoked_at: Date }[] = await this.dataSource.query(
      `SELECT id, revoked_at FROM sessions WHERE revoked_at > $1
       UNION ALL SELECT session_id, revoked_at FROM session_tombstones WHERE revoked_at > $1`,
      [since],
    );
    return rows.map((row) => ({ id: row.id, revokedAt: row.revoked_at }));
  }

  /**
   * Runs `work` while this instance holds the cleanup's advisory lock, so one
   * instance at a time cleans; null, without running it, when another holds
   * it. PostgreSQL: the lock belongs to a connection, so it and the batches
   * stay on one connection of their own until `work` is done, and a
   * connection that could not be unlocked is dropped rather than pooled.
   * PGlite is one connection in one process: the lock is taken on it, and
   * the batches share it with requests, which run in between.
   */
  async whileCleanupLocked<T>(work: (deleteBatch: StaleRowDeleter) => Promise<T>): Promise<T | null> {
    const runner = embeddedConnectionOf(this.dataSource) ? null : (this.dataSource.createQueryRunner() as DroppableQueryRunner);
    const db = runner ?? this.dataSource;
    try {
      const [{ locked }]: { locked: boolean }[] = await db.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [CLEANUP_LOCK_KEY]);
      if (!locked) return null;
      try {
        return await work(async (kind, before, limit, from) => {
          const [batch]: StaleBatch[] = await db.query(STALE_ROW_DELETES[kind], [before, limit, from ?? '-infinity']);
          return batch;
        });
      } finally {
        await db.query(`SELECT pg_advisory_unlock($1::bigint)`, [CLEANUP_LOCK_KEY]).catch(async (error: unknown) => {
          await runner?.releasePostgresConnection?.(error);
          throw error;
        });
      }
    } finally {
      if (runner && !runner.isReleased) await runner.release();
    }
  }
}
