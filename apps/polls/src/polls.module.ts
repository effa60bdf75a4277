import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigModule } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { DiscoveryModule, HealthModule } from '@app/discovery';
import { DynamoLiveness } from '@app/dynamodb';
import { ErrorFilter, inputValidation, OpenApiModule } from '@app/http';
import { MetricsModule } from '@app/metrics';
import { DYNAMODB, DynamoDbModule, dynamoProbe } from './dynamodb/dynamodb.module';
import { POLLS_CONFIG, type PollsConfig } from './polls.config';
import { PollsController } from './polls/polls.controller';
import { PollsRepository } from './polls/polls.repository';
import { PollsService } from './polls/polls.service';
import { VotesRepository } from './polls/votes.repository';

/** The polls service: polls and votes in DynamoDB, registered with the registry. */
@Module({})
export class PollsModule {
  static forRoot(config: PollsConfig): DynamicModule {
    return {
      module: PollsModule,
      imports: [
        ConfigModule.forRoot(POLLS_CONFIG, config),
        MetricsModule.forRoot({ enabled: config.METRICS_ENABLED }),
        DynamoDbModule,
        OpenApiModule.forRoot({
          title: 'Chirp polls',
          description: "Polls and votes in DynamoDB: the seed's routes and the resource routes.",
          stores: ['dynamodb'],
        }),
        DiscoveryModule.forRoot({ service: 'polls', env: config }),
        HealthModule.registerAsync({
          inject: [DYNAMODB, DynamoLiveness],
          useFactory: (client: DynamoDBClient, liveness: DynamoLiveness) => ({
            probes: [dynamoProbe(client, liveness, config)],
          }),
        }),
      ],
      controllers: [PollsController],
      providers: [
        ErrorFilter,
        { provide: APP_FILTER, useExisting: ErrorFilter },
        { provide: APP_PIPE, useValue: inputValidation },
        PollsRepository,
        VotesRepository,
        PollsService,
      ],
    };
  }
}
