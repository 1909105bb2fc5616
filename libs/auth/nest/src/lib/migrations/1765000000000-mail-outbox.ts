import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mail outbox: each mail is a row written in the transaction of the
 * change that causes it, claimed and delivered by the background sender.
 * `user_id` references `users` with ON DELETE SET NULL: deleting an account
 * never waits on (or is blocked by) its mail history, and no row keeps the
 * id of a user who is gone; the account deletion discards unsent rows itself.
 */
export class MailOutbox1765000000000 implements MigrationInterface {
  name = 'MailOutbox1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid, "kind" text NOT NULL, "recipient" text NOT NULL, "subject" text NOT NULL, "text_body" text, "html_body" text, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_mail_outbox_status" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed')), CONSTRAINT "PK_mail_outbox" PRIMARY KEY ("id"))`,
    );
    // The sender's claim: due rows, oldest first.
    await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_due" ON "mail_outbox" ("next_attempt_at") WHERE "status" IN ('pending', 'sending')`);
    // Cleanup of finished rows.
    await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_finished" ON "mail_outbox" ("created_at") WHERE "status" IN ('sent', 'failed')`);
    // discardPending, and ON DELETE SET NULL without a scan.
    await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_user_id" ON "mail_outbox" ("user_id")`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD CONSTRAINT "FK_mail_outbox_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
  }
}
