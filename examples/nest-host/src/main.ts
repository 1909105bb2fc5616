import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuthValidationPipe, ConfigError, refuseDeepJson } from '@latchkey/auth-nest';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  // Our own JSON parser (100 kB, like Latchkey's own app), so the depth check can follow it.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, abortOnError: false });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '100kb' });
  app.use(refuseDeepJson());
  app.setGlobalPrefix('svc');
  app.useGlobalPipes(new AuthValidationPipe());
  app.enableShutdownHooks();
  const port = Number(process.env['PORT'] ?? 3100);
  await app.listen(port);
  new Logger('NestHost').log(`listening on http://localhost:${port}/svc`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
