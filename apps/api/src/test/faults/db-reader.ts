import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { TestDatabase } from '@latchkey/auth-nest-testing';

/** SQL straight on the test database, bypassing the server (and any proxy in front of it). */
export interface DbReader {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Reads the test database: a direct connection on PostgreSQL; on PGlite the
 * data directory itself, which only works once the server that had it open
 * has stopped (PGlite is one process's).
 */
export async function openDbReader(db: TestDatabase): Promise<DbReader> {
  if (db.databaseUrl) {
    const client = new Client({ connectionString: db.databaseUrl });
    await client.connect();
    return {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      close: () => client.end(),
    };
  }
  const pglite = await PGlite.create(join(db.dataDir, 'pgdata'));
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    close: () => pglite.close(),
  };
}
