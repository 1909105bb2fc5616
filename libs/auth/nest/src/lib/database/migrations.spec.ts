import { TestDatabase, createTestDatabase, openTestDataSource } from '../../testing/test-database';
import { AUTH_MIGRATIONS } from '../auth-entities';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db?.drop());

  it(`apply to an empty database, are a no-op the second time, and match the entities`, async () => {

    const first = await openTestDataSource(db);
    try {
      const applied = await first.query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.map((row: { name: string }) => row.name)).toEqual(AUTH_MIGRATIONS.map((m) => m.name));
      const tables = await first.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
      expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual(['account_tokens', 'external_identities', 'mail_outbox', 'migrations', 'refresh_tokens', 'session_tombstones', 'sessions', 'users']);
    } finally {
      await first.destroy();
    }

    const second = await openTestDataSource(db);
    try {
      expect(await second.showMigrations()).toBe(false);
      expect(await second.runMigrations()).toEqual([]);
      const pending = await second.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await second.destroy();
    }
  });

  it('bring emails stored before NFKC to their normalised form, unless another account holds it', async () => {
    const ds = await openTestDataSource(db);
    try {
      await ds.query(`DELETE FROM users`);
      await ds.query(`INSERT INTO users (email) VALUES ('ｇｒａｃｅ@example.com'), ('ａｄａ@example.com'), ('ada@example.com'), ('ﬁnn@example.com')`);
      await ds.query(`DELETE FROM migrations WHERE name = 'NormaliseEmails1764990000000'`);
      expect(await ds.runMigrations()).toHaveLength(1);
      const emails: { email: string }[] = await ds.query(`SELECT email FROM users ORDER BY email`);
      expect(emails.map((row) => row.email)).toEqual(['ada@example.com', 'finn@example.com', 'grace@example.com', 'ａｄａ@example.com']);
    } finally {
      await ds.destroy();
    }
  });
});
