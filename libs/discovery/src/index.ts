export * from './discovery.module';
export * from './discovery.options';
export * from './health.module';
export * from './registration.service';
export * from './registry.client';
export { type HealthReport, type StoreProbe, StoreHealth } from './store-health';
