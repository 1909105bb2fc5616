import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule, DatabaseModule } from '@latchkey/auth-nest';
import type { ApiConfig } from './config/api-config';
import type { DataSource } from 'typeorm';
import { HealthController } from './health/health.controller';

/** The API; the built PWA in front of it is served by `serveWebApp` (see create-app.ts). */
@Module({})
export class AppModule {
  /** The whole API for one configuration and open database. */
  static register(config: ApiConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [DatabaseModule.forDataSource(dataSource), AuthModule.forRoot(config.auth), TerminusModule],
      controllers: [HealthController],
    };
  }
}
