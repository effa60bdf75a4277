import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthModuleBase, StoreHealth } from './store-health';

/** `GET /health-check` for an app, given probes of its stores (`HealthModule.registerAsync`). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [StoreHealth],
  exports: [StoreHealth],
})
export class HealthModule extends HealthModuleBase {}
