import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { LatchkeyConfig, openDataSource } from '@latchkey/auth-nest';
import { AppModule } from './app.module';
import { findWebRoot } from './web-root';

export interface CreateAppOptions {
  /** Defaults to the built PWA when one exists. */
  webRoot?: string | null;
  logger?: false | Logger;
}

/** Builds the API (not yet listening): used by main.ts and by the tests. */
export async function createApp(config: LatchkeyConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const webRoot = options.webRoot === undefined ? findWebRoot() : options.webRoot;
  // Open and migrate first: a bad database stops start-up before any module loads.
  const dataSource = await openDataSource(config.server);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, dataSource, webRoot), {
      bodyParser: false,
      abortOnError: false,
      logger: options.logger === false ? false : undefined,
    });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  app.useBodyParser('json', { limit: '100kb' });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApiDocument(config)));
  return app;
}

function openApiDocument(config: LatchkeyConfig) {
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
