import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account lifecycle: `users.email_verified_at` (null until the address is
 * proven) and `account_tokens`, the single-use links mailed for a password
 * reset, an email verification or an email change (only their SHA-256 is kept).
 * Accounts that already sign in with Google count as verified from their
 * first Google sign-in: Google vouched for the address then.
 */
export class Accounts1765100000000 implements MigrationInterface {
  name = 'Accounts1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "users" u SET "email_verified_at" = (SELECT min(i."created_at") FROM "external_identities" i WHERE i."user_id" = u."id" AND i."provider" = 'google')
        WHERE EXISTS (SELECT 1 FROM "external_identities" i WHERE i."user_id" = u."id" AND i."provider" = 'google')`,
    );
    await queryRunner.query(
      `CREATE TABLE "account_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" bytea NOT NULL, "new_email" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "CHK_account_tokens_purpose" CHECK (purpose IN ('password_reset', 'email_verification', 'email_change')), ` +
        `CONSTRAINT "CHK_account_tokens_new_email" CHECK ((purpose = 'email_change') = (new_email IS NOT NULL)), ` +
        `CONSTRAINT "CHK_account_tokens_token_hash" CHECK (octet_length(token_hash) = 32), ` +
        `CONSTRAINT "PK_account_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_account_tokens_token_hash" ON "account_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_account_tokens_user_id_purpose" ON "account_tokens" ("user_id", "purpose")`);
    await queryRunner.query(`CREATE INDEX "IDX_account_tokens_expires_at" ON "account_tokens" ("expires_at")`);
    await queryRunner.query(
      `ALTER TABLE "account_tokens" ADD CONSTRAINT "FK_account_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account_tokens" DROP CONSTRAINT "FK_account_tokens_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_account_tokens_expires_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_account_tokens_user_id_purpose"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_account_tokens_token_hash"`);
    await queryRunner.query(`DROP TABLE "account_tokens"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
