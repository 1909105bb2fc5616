import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';
import { embeddedConnectionOf } from './embedded-connection';

type DroppableQueryRunner = QueryRunner & { releasePostgresConnection?: (error: unknown) => Promise<void> };

/**
 * `dataSource.transaction()`, except when the database is lost mid-way: then
 * the connection is dropped (the pool discards it) instead of waiting once
 * more on a ROLLBACK that cannot arrive, so the request fails well inside
 * the contract's 10 s. PostgreSQL rolls back a dropped connection's work.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner() as DroppableQueryRunner;
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      const canDrop = isDatabaseUnavailable(error) && !embeddedConnectionOf(dataSource) && runner.releasePostgresConnection;
      if (canDrop) await runner.releasePostgresConnection?.(error);
      else await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}
