import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/** Work waiting for the commit of a query runner's transaction. */
const pending = new WeakMap<QueryRunner, (() => void)[]>();
const installed = new WeakSet<DataSource>();

/** One per DataSource: runs a transaction's callbacks once it commits, drops them when it rolls back. */
const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit({ queryRunner }) {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the transaction goes on
    const callbacks = pending.get(queryRunner) ?? [];
    pending.delete(queryRunner);
    for (const callback of callbacks) callback();
  },
  afterTransactionRollback({ queryRunner }) {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  },
};

/**
 * Runs `callback` once the transaction `manager` belongs to has committed,
 * and never if it rolls back; at once when `manager` is in no transaction.
 * For what must not be seen before the data is: in-memory caches and
 * registries of this process (another request could otherwise read the old
 * row meanwhile, or act on a change that never commits).
 */
export function afterCommit(manager: EntityManager | undefined, callback: () => void): void {
  const runner = manager?.queryRunner;
  if (!manager || !runner || !runner.isTransactionActive) {
    callback();
    return;
  }
  const dataSource = manager.connection;
  if (!installed.has(dataSource)) {
    installed.add(dataSource);
    dataSource.subscribers.push(subscriber);
  }
  const callbacks = pending.get(runner) ?? [];
  callbacks.push(callback);
  pending.set(runner, callbacks);
}
