import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AUTH_CONFIG, AUTH_REDIS, ATTEMPT_COUNTER } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { MemoryAttemptCounter, RedisAttemptCounter } from './attempt-counter';
import { DeviceTokens } from './device-tokens';
import { LoginAttemptLimiter } from './login-attempt-limiter';
import { RateLimiter } from './rate-limiter';

/** Closes the shared Redis connection when the app stops. */
@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AUTH_REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * Rate limits: @nestjs/throttler for request rates, and the login-failure
 * counters with the device cookie's tokens. With REDIS_URL the counters live
 * in Redis, shared by every instance.
 */
@Module({})
export class ThrottlingModule {
  static register(configModule: DynamicModule): DynamicModule {
    const redisProvider = {
      provide: AUTH_REDIS,
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig) =>
        // Fail fast when Redis is gone: the request gets a 503, not a hang.
        config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3000, enableOfflineQueue: true }) : null,
    };
    const redisModule: DynamicModule = {
      module: class AuthRedisModule {},
      imports: [configModule],
      providers: [redisProvider, RedisLifecycle],
      exports: [AUTH_REDIS],
    };
    return {
      module: ThrottlingModule,
      imports: [
        configModule,
        redisModule,
        ThrottlerModule.forRootAsync({
          imports: [redisModule],
          inject: [AUTH_REDIS],
          useFactory: (redis: Redis | null) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: 120 }],
            storage: redis ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageService(),
          }),
        }),
      ],
      providers: [
        {
          provide: ATTEMPT_COUNTER,
          inject: [AUTH_REDIS],
          useFactory: (redis: Redis | null) => (redis ? new RedisAttemptCounter(redis) : new MemoryAttemptCounter()),
        },
        LoginAttemptLimiter,
        RateLimiter,
        DeviceTokens,
      ],
      exports: [LoginAttemptLimiter, RateLimiter, DeviceTokens, ThrottlerModule],
    };
  }
}
