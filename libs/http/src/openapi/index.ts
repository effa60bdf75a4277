export * from './api-responses.decorator';
export * from './openapi.module';
