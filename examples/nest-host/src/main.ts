import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@latchkey/auth-nest';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  // Nest's own JSON parser (100 kB by default); Latchkey checks depth and shape on its routes itself.
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  app.setGlobalPrefix('svc');
  app.enableShutdownHooks();
  const port = Number(process.env['PORT'] ?? 3100);
  await app.listen(port);
  new Logger('NestHost').log(`listening on http://localhost:${port}/svc`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
