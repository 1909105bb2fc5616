import type { INestApplication } from '@nestjs/common';
import type { LatchkeyConfig } from '@latchkey/auth-nest';
import { createTestDatabase, TestDatabase, testConfig } from '@latchkey/auth-nest/testing';
import type { Environment } from '@latchkey/auth-nest/testing';
import { createApp } from '../app/create-app';

export interface TestApp {
  readonly app: INestApplication;
  readonly config: LatchkeyConfig;
  readonly db: TestDatabase;
  /** The listening server, for supertest. */
  readonly server: ReturnType<INestApplication['getHttpServer']>;
  close(): Promise<void>;
}

/** The whole API on a fresh database of its own, listening on a free port. */
export async function startTestApp(env: Environment = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(db, env);
  const app = await createApp(config, { webRoot: null, logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    db,
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
