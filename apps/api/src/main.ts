import 'reflect-metadata';
import type { Server } from 'node:http';
import { config as loadDotenv } from 'dotenv';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@latchkey/auth-nest';
import { describeConfig, loadApiConfig } from './app/config/api-config';
import { createApp } from './app/create-app';

/** The contract allows 10 s for a clean stop; leave a margin. */
const SHUTDOWN_DEADLINE_MS = 9000;

async function bootstrap(): Promise<void> {
  // Values already in the environment win over .env.
  loadDotenv({ quiet: true });
  const config = loadApiConfig();
  const app = await createApp(config);
  await app.listen(config.server.port);

  const logger = new Logger('Latchkey');
  // The server listens on every interface; localhost is the address a newcomer opens.
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  logger.log(`listening on http://localhost:${port} ${describeConfig(config)}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing in-flight requests, then closing the database`);
    // Keep-alive clients would otherwise keep sending on their open sockets:
    // answer what is in flight with `Connection: close` so each socket ends.
    const server = app.getHttpServer() as Server;
    server.on('request', (_req, res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((error: unknown) => {
  // One line naming the variable; no stack for a configuration mistake.
  const line = error instanceof ConfigError ? `Configuration error: ${error.message}` : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  console.error(line);
  process.exit(1);
});
