import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { createDynamoClient, documentClient, DynamoLiveness, HEALTH_FRESH_MS } from '@app/dynamodb';
import { POLLS_CONFIG, type PollsConfig } from '../polls.config';

/** Injection token of the app's one DynamoDBClient. */
export const DYNAMODB = Symbol('DYNAMODB');
/** Injection token of the DynamoDBDocumentClient over {@link DYNAMODB}. */
export const DYNAMODB_DOCUMENT = Symbol('DYNAMODB_DOCUMENT');

/**
 * The health probe of the polls store: healthy when live traffic got answers within the last
 * second, otherwise a round trip that also proves the table exists.
 */
export function dynamoProbe(client: DynamoDBClient, liveness: DynamoLiveness, config: PollsConfig) {
  return {
    name: 'dynamodb',
    ping: () =>
      liveness.recentlyAnswered()
        ? Promise.resolve()
        : client.send(new DescribeTableCommand({ TableName: config.POLLS_TABLE })),
  };
}

/** The DynamoDB clients of the polls service, closed after the HTTP server has stopped. */
@Global()
@Module({
  providers: [
    { provide: DynamoLiveness, useFactory: () => new DynamoLiveness(HEALTH_FRESH_MS) },
    { provide: DYNAMODB, inject: [POLLS_CONFIG, DynamoLiveness], useFactory: createDynamoClient },
    { provide: DYNAMODB_DOCUMENT, inject: [DYNAMODB], useFactory: documentClient },
  ],
  exports: [DYNAMODB, DYNAMODB_DOCUMENT, DynamoLiveness],
})
export class DynamoDbModule implements OnApplicationShutdown {
  constructor(@Inject(DYNAMODB) private readonly client: DynamoDBClient) {}

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
