import { DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { DISCOVERY_OPTIONS, type DiscoveryOptions } from './discovery.options';
import { RegistrationService } from './registration.service';
import { RegistryClient } from './registry.client';

/**
 * Self-registration with the registry for one app; import it once in the app's root module, and start
 * it from main.ts once the app listens ({@link registerWhenListening}).
 */
@Module({})
export class DiscoveryModule {
  static forRoot(options: DiscoveryOptions): DynamicModule {
    return {
      module: DiscoveryModule,
      providers: [
        { provide: DISCOVERY_OPTIONS, useValue: options },
        RegistryClient,
        {
          provide: RegistrationService,
          inject: [RegistryClient],
          useFactory: (client: RegistryClient) =>
            new RegistrationService(client, options.env.REGISTRY_HEARTBEAT_MS),
        },
      ],
      exports: [RegistrationService],
    };
  }
}

/** Starts the app's self-registration; call it on the app `bootstrap` returns, once it listens. */
export function registerWhenListening(app: INestApplicationContext): void {
  app.get(RegistrationService).start();
}
