import type { DataSource } from 'typeorm';

/**
 * The one connection of an embedded database (PGlite, from
 * `@latchkey/auth-nest/pglite`): notifications arrive on it rather than on
 * a second connection, and it can never be dropped and replaced.
 */
export interface EmbeddedConnection {
  readonly closed: boolean;
  /** LISTEN on `channel`; resolves to the function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Where a DataSource carries its {@link EmbeddedConnection}; global, so it holds across copies of this package. */
export const EMBEDDED_CONNECTION = Symbol.for('@latchkey/auth-nest:embedded-connection');

export function embeddedConnectionOf(dataSource: DataSource): EmbeddedConnection | undefined {
  return (dataSource as DataSource & { [EMBEDDED_CONNECTION]?: EmbeddedConnection })[EMBEDDED_CONNECTION];
}
