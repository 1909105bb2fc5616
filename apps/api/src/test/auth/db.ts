import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestApp } from '../test-app';

export type AuthTable = 'users' | 'sessions' | 'refresh_tokens' | 'external_identities' | 'account_tokens';

export function dataSourceOf(t: TestApp): DataSource {
  return t.app.get(DataSource);
}

export async function countRows(t: TestApp, table: AuthTable): Promise<number> {
  const [row] = await dataSourceOf(t).query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

/** Row counts of every auth table, to show a request wrote nothing. */
export async function rowCounts(t: TestApp): Promise<Record<AuthTable, number>> {
  const tables: AuthTable[] = ['users', 'sessions', 'refresh_tokens', 'external_identities', 'account_tokens'];
  const counts = await Promise.all(tables.map((table) => countRows(t, table)));
  return Object.fromEntries(tables.map((table, i) => [table, counts[i]])) as Record<AuthTable, number>;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export async function sessionRow(t: TestApp, id: string): Promise<SessionRow> {
  const [row] = await dataSourceOf(t).query(`SELECT * FROM sessions WHERE id = $1`, [id]);
  if (!row) throw new Error(`no session ${id}`);
  return row;
}

export async function sessionsOfUser(t: TestApp, userId: string): Promise<SessionRow[]> {
  return dataSourceOf(t).query(`SELECT * FROM sessions WHERE user_id = $1 ORDER BY created_at`, [userId]);
}

/** The database's form of a refresh or account token: SHA-256 of the value. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
