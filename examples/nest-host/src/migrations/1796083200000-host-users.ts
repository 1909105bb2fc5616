import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The host's own tables; runs after Latchkey's migrations in the same `migrationsRun`. */
export class HostUsers1796083200000 implements MigrationInterface {
  name = 'HostUsers1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "host_users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" text NOT NULL,
        "name" text,
        "picture" text,
        "password_hash" text,
        "email_verified" boolean NOT NULL DEFAULT false,
        "plan" text NOT NULL DEFAULT 'free',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_host_users" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_host_users_email" UNIQUE ("email")
      )`);
    await queryRunner.query(`
      CREATE TABLE "host_identities" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL REFERENCES "host_users"("id") ON DELETE CASCADE,
        "provider" text NOT NULL,
        "subject" text NOT NULL,
        CONSTRAINT "PK_host_identities" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_host_identities_provider_subject" UNIQUE ("provider", "subject")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_host_identities_user_id" ON "host_identities" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "host_identities"`);
    await queryRunner.query(`DROP TABLE "host_users"`);
  }
}
