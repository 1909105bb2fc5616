import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions, mailed links and the outbox keep a user's id without a foreign
 * key to `users`: with a host's own user store (contract, "The Nest module")
 * the ids are the host's and Latchkey never writes `users`. Deleting an
 * account removes Latchkey's rows explicitly, in its transaction
 * (AccountService.delete), instead of by cascade.
 */
export class UsersWithoutForeignKeys1765300000000 implements MigrationInterface {
  name = 'UsersWithoutForeignKeys1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`);
    await queryRunner.query(`ALTER TABLE "account_tokens" DROP CONSTRAINT "FK_account_tokens_user_id"`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "FK_mail_outbox_user_id"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD CONSTRAINT "FK_mail_outbox_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION NOT VALID`);
    await queryRunner.query(`ALTER TABLE "account_tokens" ADD CONSTRAINT "FK_account_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID`);
  }
}
