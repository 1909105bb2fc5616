import { MigrationInterface, QueryRunner } from 'typeorm';

/** The client address of a session's last sign-in or refresh, for the session list. */
export class SessionIpAddress1765400000000 implements MigrationInterface {
  name = 'SessionIpAddress1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "ip_address" inet`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "ip_address"`);
  }
}
