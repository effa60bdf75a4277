export * from './env';
export * from './server.config';
