import { z } from 'zod';
import { parseEnv } from '@app/config';
import type { DynamoSettings } from './dynamodb.client';
import { dynamoEnv, localEndpointDefault } from './dynamodb.env';

describe('dynamoEnv', () => {
  const parse = (env: NodeJS.ProcessEnv): DynamoSettings => parseEnv(dynamoEnv, localEndpointDefault(env));

  it('defaults to DynamoDB Local on :8100 in us-east-1, failing fast', () => {
    expect(parse({})).toEqual({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8100',
      AWS_REGION: 'us-east-1',
      DYNAMODB_CONNECT_TIMEOUT_MS: 1_000,
      DYNAMODB_REQUEST_TIMEOUT_MS: 2_000,
      DYNAMODB_MAX_ATTEMPTS: 2,
      DYNAMODB_CONCURRENCY: 8,
      DYNAMODB_QUEUE_TIMEOUT_MS: 10_000,
    });
  });

  it('follows DYNAMODB_PORT unless an endpoint is given, an empty one (Amazon DynamoDB) included', () => {
    expect(parse({ DYNAMODB_PORT: '8200' }).DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:8200');
    expect(parse({ DYNAMODB_PORT: '8200', DYNAMODB_ENDPOINT: 'http://h:1/' }).DYNAMODB_ENDPOINT).toBe(
      'http://h:1',
    );
    expect(parse({ DYNAMODB_PORT: '8200', DYNAMODB_ENDPOINT: '' }).DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it('refuses a bad endpoint or limit, naming it', () => {
    expect(() => parse({ DYNAMODB_ENDPOINT: 'ftp://x' })).toThrow(/DYNAMODB_ENDPOINT/);
    expect(() => parse({ DYNAMODB_CONCURRENCY: '0' })).toThrow(/DYNAMODB_CONCURRENCY/);
  });

  it("is part of an app's environment through its shape", () => {
    const appEnv = z.object({ TABLE: z.string().default('t') }).extend(dynamoEnv.shape);
    expect(parseEnv(appEnv, { DYNAMODB_MAX_ATTEMPTS: '3' })).toMatchObject({
      TABLE: 't',
      DYNAMODB_MAX_ATTEMPTS: 3,
      DYNAMODB_CONCURRENCY: 8,
    });
  });
});
