import { MigrationInterface, QueryRunner } from 'typeorm';

/** A session names its one live refresh token (see `SessionStore.rotate`). */
export class SessionLiveToken1764995000000 implements MigrationInterface {
  name = 'SessionLiveToken1764995000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "live_token_id" uuid`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "live_since" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "live_since"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "live_token_id"`);
  }
}
