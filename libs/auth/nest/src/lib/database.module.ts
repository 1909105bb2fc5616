import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { authDataSourceOptions } from './auth-data-source';

/**
 * Hands an already opened and migrated DataSource (see `openDataSource`) to
 * TypeORM's Nest module, so nothing starts before the database is good.
 * A host with its own connection can skip this and add
 * `AUTH_ENTITIES`/`AUTH_MIGRATIONS` to it instead.
 */
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', ...authDataSourceOptions() }),
          dataSourceFactory: async () => dataSource,
        }),
      ],
    };
  }
}
