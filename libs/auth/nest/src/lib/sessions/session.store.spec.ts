import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, openTestDataSource, TestDatabase } from '../../testing/test-database';
import { SessionStore } from './session.store';

describe('SessionStore: the client of a session', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: SessionStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openTestDataSource(db);
    store = new SessionStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const times = (now: Date) => ({ createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000), absoluteExpiresAt: new Date(now.getTime() + 7_200_000) });

  it('lists the address of the sign-in, then of the last refresh; a refresh without one keeps it', async () => {
    const userId = randomUUID();
    const first = randomBytes(32);
    const now = new Date();
    const sessionId = await store.openSession(userId, { userAgent: 'Firefox', ipAddress: '203.0.113.7' }, times(now), first);
    expect((await store.listActive(userId, sessionId, now))[0]).toMatchObject({ id: sessionId, userAgent: 'Firefox', ipAddress: '203.0.113.7', current: true });

    const second = randomBytes(32);
    const step = { presentedHash: first, nextHash: second, now: new Date(now.getTime() + 1000), graceSeconds: 30, idleSeconds: 3600 };
    expect((await store.rotate({ ...step, client: { userAgent: null, ipAddress: '2001:db8::1' } }))?.outcome).toBe('rotated');
    expect((await store.listActive(userId, sessionId, step.now))[0]).toMatchObject({ userAgent: 'Firefox', ipAddress: '2001:db8::1' });

    const third = { ...step, presentedHash: second, nextHash: randomBytes(32), now: new Date(now.getTime() + 2000) };
    expect((await store.rotate({ ...third, client: { userAgent: null, ipAddress: null } }))?.outcome).toBe('rotated');
    expect((await store.listActive(userId, sessionId, third.now))[0].ipAddress).toBe('2001:db8::1');
  });
});
