export * from './discovery.module';
export * from './discovery.options';
export * from './health.module';
export * from './registration.service';
export * from './registry.client';
export { type HealthOptions, type StoreProbe } from './health.options';
export { type HealthReport, StoreHealth } from './store-health';
export * from './service-watch';
export * from './app-version';
