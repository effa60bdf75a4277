export * from './env';
export * from './server.config';
export * from './config.module';
export * from './local-server';
