import { DataSource, DataSourceOptions } from 'typeorm';
import { ConfigError } from '../config/config-error';

/** Short enough that a dead database gives 503 well inside the contract's 10 s. */
export const CONNECT_TIMEOUT_MS = 3000;
export const QUERY_TIMEOUT_MS = 5000;

export type PostgresDataSourceOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
/** TypeORM's PostgreSQL options without `type`, as Latchkey's own DataSources take them. */
export type AuthDataSourceOptions = Omit<PostgresDataSourceOptions, 'type'>;

/**
 * Connects and runs pending migrations. Failing is a {@link ConfigError}
 * naming `variable` (the setting that points at the database), so start-up
 * stops with one line; the DataSource is closed again.
 */
export async function initializeAndMigrate(dataSource: DataSource, variable: string): Promise<DataSource> {
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw new ConfigError(variable, `cannot open the database (${describeError(error)})`);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describeError).join('; ');
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message || String(code);
}
