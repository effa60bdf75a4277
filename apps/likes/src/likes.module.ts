import { ConfigModule } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type Database from 'better-sqlite3';
import { DiscoveryModule, HealthModule } from '@app/discovery';
import { ErrorFilter, inputValidation, OpenApiModule } from '@app/http';
import { MetricsModule } from '@app/metrics';
import { IndexesRepository } from './likes/indexes.repository';
import { LikesController } from './likes/likes.controller';
import { LikesRepairService } from './likes/likes-repair.service';
import { RepairMetrics } from './likes/repair-metrics';
import { LikesRepository } from './likes/likes.repository';
import { LikesService } from './likes/likes.service';
import { LIKES_CONFIG, type LikesConfig } from './likes.config';
import { PostsDatabaseModule, SQLITE } from './posts/posts-database.module';
import { PostsRepository } from './posts/posts.repository';
import type { LikesRedis } from './redis/redis.client';
import { REDIS, RedisModule } from './redis/redis.module';

/** The likes service: likes in Redis (one Redis or a Redis Cluster), posts read from SQLite. */
@Module({})
export class LikesModule {
  static forRoot(config: LikesConfig): DynamicModule {
    return {
      module: LikesModule,
      imports: [
        ConfigModule.forRoot(LIKES_CONFIG, config),
        MetricsModule.forRoot({ enabled: config.METRICS_ENABLED }),
        RedisModule,
        PostsDatabaseModule,
        OpenApiModule.forRoot({
          title: 'Chirp likes',
          description: "Likes in Redis, posts in SQLite: the seed's routes and the resource routes.",
          stores: ['redis', 'sqlite'],
        }),
        DiscoveryModule.forRoot({ service: 'likes', env: config }),
        HealthModule.registerAsync({
          inject: [REDIS, SQLITE],
          useFactory: (redis: LikesRedis, db: Database.Database) => ({
            probes: [
              { name: 'redis', ping: () => redis.ping() },
              { name: 'sqlite', ping: () => Promise.resolve(db.prepare('SELECT 1').get()) },
            ],
          }),
        }),
      ],
      controllers: [LikesController],
      providers: [
        ErrorFilter,
        { provide: APP_FILTER, useExisting: ErrorFilter },
        { provide: APP_PIPE, useValue: inputValidation },
        LikesRepository,
        IndexesRepository,
        LikesRepairService,
        RepairMetrics,
        PostsRepository,
        LikesService,
      ],
    };
  }
}
