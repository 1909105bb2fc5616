import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_ENTITIES, AUTH_MIGRATIONS, AuthModule } from '@latchkey/auth-nest';
import { authConfigFrom } from './auth-config.factory';
import { HostUsers1796083200000 } from './migrations/1796083200000-host-users';
import { HelloController } from './routes/hello.controller';
import { PlanController } from './routes/plan.controller';
import { HostIdentity } from './users/host-identity.entity';
import { HostUser } from './users/host-user.entity';
import { HostUserStore } from './users/host-user.store';

@Module({
  imports: [
    ConfigModule.forRoot(),
    // The app's own connection: Latchkey's tables and ours, one migration run for both.
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres' as const,
        host: config.get<string>('PGHOST') ?? '127.0.0.1',
        port: Number(config.get<string>('PGPORT') ?? 5432),
        username: config.get<string>('PGUSER') ?? 'postgres',
        password: config.get<string>('PGPASSWORD'),
        database: config.get<string>('PGDATABASE') ?? 'nest_host',
        entities: [...AUTH_ENTITIES, HostUser, HostIdentity],
        migrations: [...AUTH_MIGRATIONS, HostUsers1796083200000],
        migrationsRun: true,
        synchronize: false,
        uuidExtension: 'pgcrypto' as const,
      }),
    }),
    TypeOrmModule.forFeature([HostUser]),
    AuthModule.forRootAsync({
      imports: [ConfigModule, TypeOrmModule.forFeature([HostUser])],
      inject: [ConfigService],
      useFactory: authConfigFrom,
      userStore: HostUserStore,
    }),
  ],
  controllers: [HelloController, PlanController],
})
export class AppModule {}
