import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TerminusModule } from '@nestjs/terminus';
import { API_PREFIX } from '@latchkey/auth-contract';
import { AuthModule, DatabaseModule, LatchkeyConfig } from '@latchkey/auth-nest';
import type { DataSource } from 'typeorm';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  /** The whole API for one configuration and open database; `webRoot` null serves the API alone. */
  static register(config: LatchkeyConfig, dataSource: DataSource, webRoot: string | null): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forDataSource(dataSource),
        AuthModule.forRoot(config.auth),
        TerminusModule,
        ...(webRoot
          ? [
              ServeStaticModule.forRoot({
                rootPath: webRoot,
                // Unknown API paths stay JSON 404s instead of falling back to index.html.
                exclude: [`/${API_PREFIX}/{*path}`],
              }),
            ]
          : []),
      ],
      controllers: [HealthController],
    };
  }
}
