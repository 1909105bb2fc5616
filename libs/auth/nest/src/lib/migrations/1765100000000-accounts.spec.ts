import { TestDatabase, createTestDatabase, openTestDataSource } from '../../testing/test-database';

describe('Accounts1765100000000', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db?.drop());

  it('counts accounts that already sign in with Google as verified (from their first Google sign-in), and no others', async () => {
    const ds = await openTestDataSource(db);
    try {
      const [password] = await ds.query(`INSERT INTO users (email, password_hash) VALUES ('pw@example.com', 'x') RETURNING id`);
      const [google] = await ds.query(`INSERT INTO users (email) VALUES ('g@example.com') RETURNING id`);
      await ds.query(`INSERT INTO external_identities (user_id, provider, subject, created_at) VALUES ($1, 'google', 'g-1', '2025-06-01T00:00:00Z')`, [google.id]);
      // Run it again over these rows, as over a database from before it.
      await ds.query(`DROP TABLE account_tokens`);
      await ds.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
      await ds.query(`DELETE FROM migrations WHERE name = 'Accounts1765100000000'`);
      expect(await ds.runMigrations()).toHaveLength(1);
      const rows: { id: string; email_verified_at: Date | null }[] = await ds.query(`SELECT id, email_verified_at FROM users`);
      const byId = Object.fromEntries(rows.map((row) => [row.id, row.email_verified_at]));
      expect(byId[password.id]).toBeNull();
      expect(byId[google.id]).toEqual(new Date('2025-06-01T00:00:00Z'));
    } finally {
      await ds.destroy();
    }
  });
});
