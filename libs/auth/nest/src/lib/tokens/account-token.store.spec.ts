import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase, openTestDataSource } from '../../testing/test-database';
import { inTransaction } from '../database/transaction';
import { AccountTokenRequest, AccountTokenStore } from './account-token.store';
import { hashOpaqueToken } from './opaque-token';

describe('AccountTokenStore', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: AccountTokenStore;
  let userId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openTestDataSource(db);
    store = new AccountTokenStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    [{ id: userId }] = await ds.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [`${randomUUID()}@example.com`]);
  });

  const request = (overrides: Partial<AccountTokenRequest> = {}): AccountTokenRequest => ({
    userId,
    purpose: 'password_reset',
    ttlSeconds: 3600,
    voidsOlder: true,
    now: new Date(),
    ...overrides,
  });
  const issue = (overrides?: Partial<AccountTokenRequest>) => inTransaction(ds, (tx) => store.issue(tx, request(overrides)));
  const consume = (token: string, purposes = ['password_reset'] as const, now = new Date()) => inTransaction(ds, (tx) => store.consume(tx, token, purposes, now));

  it('issues 256-bit base64url tokens and stores only their SHA-256', async () => {
    const { token, isStored } = await issue();
    expect(isStored).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await ds.query(`SELECT token_hash, encode(token_hash, 'escape') AS raw FROM account_tokens WHERE user_id = $1`, [userId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.equals(hashOpaqueToken(token))).toBe(true);
    expect(JSON.stringify(await ds.query(`SELECT * FROM account_tokens WHERE user_id = $1`, [userId]))).not.toContain(token);
  });

  it('a token is used once', async () => {
    const { token } = await issue();
    expect(await consume(token)).toEqual({ userId, purpose: 'password_reset', newEmail: null });
    expect(await consume(token)).toBeNull();
  });

  it('refuses expired tokens, other purposes, unknown and malformed tokens alike', async () => {
    const { token } = await issue({ ttlSeconds: 60 });
    expect(await consume(token, ['password_reset'], new Date(Date.now() + 61_000))).toBeNull();
    expect(await consume(token, ['email_verification'] as never)).toBeNull();
    expect(await consume('A'.repeat(43))).toBeNull();
    expect(await consume('not a token')).toBeNull();
    // None of those used it up.
    expect(await consume(token)).not.toBeNull();
  });

  it('peek tells what a live token grants without using it', async () => {
    const { token } = await issue({ purpose: 'email_change', newEmail: 'new@example.com', voidsOlder: true });
    expect(await store.peek(token, ['email_change'], new Date())).toEqual({ userId, purpose: 'email_change', newEmail: 'new@example.com' });
    expect(await store.peek(token, ['password_reset'], new Date())).toBeNull();
    expect(await consume(token, ['email_change'] as never)).not.toBeNull();
    expect(await store.peek(token, ['email_change'], new Date())).toBeNull();
  });

  it('a newer token voids the older unused ones of its purpose (when asked), not those of other purposes', async () => {
    const verification = await issue({ purpose: 'email_verification', voidsOlder: false });
    const older = await issue();
    const newer = await issue();
    const keptVerification = await issue({ purpose: 'email_verification', voidsOlder: false });
    expect(await consume(older.token)).toBeNull();
    expect(await consume(newer.token)).not.toBeNull();
    expect(await consume(verification.token, ['email_verification'] as never)).not.toBeNull();
    expect(await consume(keptVerification.token, ['email_verification'] as never)).not.toBeNull();
  });

  it('writes nothing for a user that does not exist (the unknown-address path)', async () => {
    const { token, isStored } = await issue({ userId: randomUUID() });
    expect(isStored).toBe(false);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await consume(token)).toBeNull();
  });

  it('concurrent uses: exactly one wins', async () => {
    const { token } = await issue();
    const results = await Promise.all(Array.from({ length: 8 }, () => consume(token)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('a rolled-back use leaves the token usable', async () => {
    const { token } = await issue();
    await expect(
      inTransaction(ds, async (tx) => {
        expect(await store.consume(tx, token, ['password_reset'], new Date())).not.toBeNull();
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await consume(token)).not.toBeNull();
  });

  it('voidAll voids every unused token of the user; deleteStale removes spent ones', async () => {
    const a = await issue();
    const b = await issue({ purpose: 'email_verification', voidsOlder: false });
    expect(await inTransaction(ds, (tx) => store.voidAll(tx, userId, new Date()))).toBe(2);
    expect(await consume(a.token)).toBeNull();
    expect(await consume(b.token, ['email_verification'] as never)).toBeNull();
    expect(await store.deleteStale(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(2);
    expect(await ds.query(`SELECT 1 FROM account_tokens WHERE user_id = $1`, [userId])).toEqual([]);
  });
});
