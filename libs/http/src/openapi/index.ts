export * from './api-responses.decorator';
export * from './api-query.decorator';
export * from './openapi.module';
export * from './returns.decorator';
export * from './api-summary.decorator';
export * from './view-fields';
export * from './documented-as';
