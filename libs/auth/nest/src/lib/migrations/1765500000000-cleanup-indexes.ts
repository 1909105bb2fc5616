import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the cleanup's batches select by (see `SessionStore`'s stale-row
 * deletes): used refresh tokens, oldest first. Expired and revoked sessions
 * already have `IDX_sessions_expires_at` and `IDX_sessions_revoked_at`, a
 * deleted session's tokens `IDX_refresh_tokens_session_id` (the cascade),
 * tombstones `IDX_session_tombstones_revoked_at`. Partial: a token is
 * indexed here only from its rotation on, never while it is live.
 */
export class CleanupIndexes1765500000000 implements MigrationInterface {
  name = 'CleanupIndexes1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_refresh_tokens_used_at" ON "refresh_tokens" ("used_at") WHERE "used_at" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_refresh_tokens_used_at"`);
  }
}
