import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions deleted with their account, kept for one access-token lifetime (see SessionTombstoneEntity). */
export class SessionTombstones1765200000000 implements MigrationInterface {
  name = 'SessionTombstones1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "session_tombstones" ("session_id" uuid NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_session_tombstones" PRIMARY KEY ("session_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_session_tombstones_revoked_at" ON "session_tombstones" ("revoked_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_tombstones"`);
  }
}
