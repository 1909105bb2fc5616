import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Environment } from '@latchkey/auth-nest';
import { createTestDatabase, TestDatabase } from '@latchkey/auth-nest-testing';
import { testEnvironment } from '@latchkey/server-testing';
import { DataSource } from 'typeorm';
import { ApiConfig, loadApiConfig } from '../app/config/api-config';
import { createApp } from '../app/create-app';

export interface TestApp {
  readonly app: INestApplication;
  readonly config: ApiConfig;
  readonly db: TestDatabase;
  /** Where the API is mounted, e.g. `/api/v1` (the default when unset). */
  readonly apiRoot?: string;
  /** Where it listens, `http://127.0.0.1:<port>`: what a harness Browser talks to. */
  readonly url: string;
  /** The listening server. */
  readonly server: ReturnType<INestApplication['getHttpServer']>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** A folder with an index.html to serve as the web app; default: the API alone. */
  webRoot?: string | null;
  /** Production switches: Secure cookies, `__Host-`/`__Secure-` names, HSTS. */
  production?: boolean;
  /**
   * Another instance on the database of `sameDatabaseAs`, as when several API
   * processes share one server. Close it before `sameDatabaseAs`; it leaves
   * the database to that app to drop.
   */
  sameDatabaseAs?: TestApp;
}

/** A JWT secret long enough for ENV=production (≥ 32 bytes). */
export const PRODUCTION_TEST_SECRET = 'production-test-secret-0123456789abcdef-0123456789';

/** The whole API on a fresh database of its own, listening on a free port. */
export async function startTestApp(env: Environment = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.sameDatabaseAs;
  const db = shared?.db ?? (await createTestDatabase(process.env, { migrated: true }));
  const config = options.production ? productionConfig(db, env) : testApiConfig(db, env);
  // One process can open an embedded PGlite directory only once: share the open one.
  const dataSource = shared && db.kind === 'pglite' ? shared.app.get(DataSource) : undefined;
  const app = await createApp(config, { webRoot: options.webRoot ?? null, logger: false, dataSource });
  const url = await listenLocally(app);
  return {
    app,
    config,
    db,
    url,
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      if (!shared) await db.drop();
    },
  };
}

/** The configuration a test server runs with on `db`: test defaults, then `overrides`. */
export function testApiConfig(db: TestDatabase, overrides: Environment = {}): ApiConfig {
  return loadApiConfig({ ...testEnvironment(db), ...overrides });
}

/**
 * A host app another team would write around AuthModule: `module` on the test's open
 * DataSource, under `prefix`, listening locally. A failed start closes what it opened.
 */
export async function startHostModule(
  module: DynamicModule,
  { db, dataSource, config, prefix }: { db: TestDatabase; dataSource: DataSource; config: ApiConfig; prefix: string },
): Promise<TestApp & { dataSource: DataSource }> {
  let app: INestApplication;
  try {
    app = await NestFactory.create(module, { logger: false, abortOnError: false });
  } catch (error) {
    await dataSource.destroy();
    await db.drop();
    throw error;
  }
  app.setGlobalPrefix(prefix);
  const url = await listenLocally(app);
  return {
    app,
    config,
    db,
    dataSource,
    url,
    apiRoot: `/${prefix}`,
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Starts `app` on a free loopback port; resolves with its URL. */
export async function listenLocally(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * ENV=production through `loadAuthConfig`. PGlite cannot run with ENV=production
 * (DATABASE_URL is mandatory there), so on PGlite the config is loaded with a
 * placeholder URL that is then dropped: every production rule and default
 * still comes from `loadAuthConfig`, and the app opens the test's PGlite.
 */
function productionConfig(db: TestDatabase, env: Environment): ApiConfig {
  // Production requires APP_URL and SMTP_URL; nothing listens on port 9 (discard), so mail waits in the outbox.
  const overrides = { JWT_SECRET: PRODUCTION_TEST_SECRET, APP_URL: 'https://latchkey.test', SMTP_URL: 'smtp://127.0.0.1:9', ...env, ENV: 'production' };
  if (db.databaseUrl) return testApiConfig(db, overrides);
  const config = testApiConfig(db, { ...overrides, DATABASE_URL: 'postgres://pglite.invalid/never-opened' });
  return { ...config, server: { ...config.server, databaseUrl: null } };
}
