import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { LIKES_CONFIG } from '../likes.config';
import { createRedis, type LikesRedis } from './redis.client';

/** Injection token of {@link LikesRedis}. */
export const REDIS = Symbol('REDIS');

/** The one Redis (or Redis Cluster) client of an instance, closed after the HTTP server has stopped. */
@Global()
@Module({
  providers: [{ provide: REDIS, inject: [LIKES_CONFIG], useFactory: createRedis }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: LikesRedis) {}

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
