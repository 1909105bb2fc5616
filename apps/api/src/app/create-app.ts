import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { ApiExceptionFilter, AuthValidationPipe, refuseDeepJson } from '@latchkey/auth-nest';
import { ApiConfig, logLevelsFrom } from './config/api-config';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { openDataSource } from './database';
import { serveWebApp } from './web/serve-web-app';
import { findWebRoot } from './web/web-root';

export interface CreateAppOptions {
  /** Defaults to the built PWA when one exists. */
  webRoot?: string | null;
  logger?: false | Logger;
  /**
   * An already open and migrated database instead of the one `config.server`
   * names. Tests use it to run two instances on one embedded PGlite, which a
   * process can open only once; the app still closes it on shutdown.
   */
  dataSource?: DataSource;
}

/** Builds the API (not yet listening): used by main.ts and by the tests. */
export async function createApp(config: ApiConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const webRoot = options.webRoot === undefined ? findWebRoot() : options.webRoot;
  // Open and migrate first: a bad database stops start-up before any module loads.
  const dataSource = options.dataSource ?? (await openDataSource(config.server));
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, dataSource), {
      bodyParser: false,
      abortOnError: false,
      logger: options.logger === false ? false : logLevelsFrom(config.server.logLevel),
    });
  } catch (error) {
    if (!options.dataSource) await dataSource.destroy();
    throw error;
  }
  app.disable('x-powered-by');
  // API answers are small and mostly `no-store`: hashing each one for an ETag buys nothing (static files keep theirs).
  app.set('etag', false);
  app.set('trust proxy', config.server.trustProxy);
  // After the security headers (AuthModule installs them first), before the API's routes.
  if (webRoot) app.use(serveWebApp(webRoot));
  app.useBodyParser('json', { limit: '100kb' });
  // Before any guard, throttle or pipe: the pipe's recursive walk would overflow on deep JSON (a 500).
  app.use(refuseDeepJson());
  answerBodyErrorsHere(app);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new AuthValidationPipe());
  // Off (production's default), the paths are unknown routes: a JSON 404 like any other.
  if (config.server.apiDocs) SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApiDocument(config)));
  return app;
}

/**
 * Malformed, oversized and too deeply nested bodies are answered right
 * after the body parser, by the API's own filter (400 / 413 in Nest's
 * shape), before anything registered later can turn them into something else.
 */
function answerBodyErrorsHere(app: NestExpressApplication): void {
  const filter = new ApiExceptionFilter();
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => filter.catch(error, new ExecutionContextHost([req, res, next])));
}

function openApiDocument(config: ApiConfig) {
  return new DocumentBuilder()
    .setTitle('Latchkey API')
    .setDescription(
      `Cookie sessions with rotating refresh tokens. Unsafe methods need header ${XSRF_HEADER_NAME} equal to the ${XSRF_COOKIE_NAME} cookie, unless authenticated with a Bearer token.`,
    )
    .setVersion('1')
    .addCookieAuth(config.auth.cookieNames.access)
    .addBearerAuth()
    .build();
}
