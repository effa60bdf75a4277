export * from './dynamodb.client';
export * from './dynamodb.env';
export * from './dynamo-liveness';
export * from './store-errors';
export * from './tables';
export * from './local-dynamodb';
export * from './init-tables';
