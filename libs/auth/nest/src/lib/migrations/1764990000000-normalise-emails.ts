import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails are now stored in Unicode NFKC, lower case (`normaliseEmail`), so
 * look-alike spellings are one account. Older rows were only lower-cased:
 * bring the non-ASCII ones to that form, unless it is taken by another row.
 * Such a twin is the look-alike an attacker registered: it keeps its old
 * spelling and, as sign-in looks up the normalised form, no longer signs in.
 * The rule is written out here, not imported: a migration must not change
 * when the code it once matched does.
 */
export class NormaliseEmails1764990000000 implements MigrationInterface {
  name = 'NormaliseEmails1764990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows: { id: string; email: string }[] = await queryRunner.query(`SELECT id, email FROM users WHERE email ~ '[^\\x01-\\x7f]'`);
    for (const { id, email } of rows) {
      const normalised = email.normalize('NFKC').toLowerCase().trim();
      if (normalised === email) continue;
      await queryRunner.query(`UPDATE users SET email = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)`, [id, normalised]);
    }
  }

  async down(): Promise<void> {
    // The old spellings are not kept; normalised emails work with the old code too.
  }
}
