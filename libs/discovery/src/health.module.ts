import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options';
import { StoreHealth } from './store-health';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<HealthOptions>({
  optionsInjectionToken: HEALTH_OPTIONS,
})
  // `controller: false` for an app that serves `/health-check` itself (the registry does).
  .setExtras({ controller: true }, (definition, extras) => ({
    ...definition,
    controllers: extras.controller ? [HealthController] : [],
  }))
  .build();

/** `GET /health-check` for an app, given probes of its stores (`HealthModule.registerAsync`). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [StoreHealth],
  exports: [StoreHealth],
})
export class HealthModule extends ConfigurableModuleClass {}
