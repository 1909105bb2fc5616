/**
 * `@latchkey/auth-nest/pglite`: the embedded PostgreSQL for development and
 * tests. Needs the optional peer `@electric-sql/pglite`; the main entry never
 * loads it.
 */
export { createEmbeddedDataSource, EMBEDDED_DATABASE_SUBDIR, EmbeddedDataSource, openEmbeddedDataSource } from './lib/embedded/embedded-data-source';
