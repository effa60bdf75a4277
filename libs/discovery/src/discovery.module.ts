import { DynamicModule, Module } from '@nestjs/common';
import { AFTER_LISTEN } from '@app/http';
import { DISCOVERY_OPTIONS, type DiscoveryOptions } from './discovery.options';
import { RegistrationService } from './registration.service';
import { RegistryClient } from './registry.client';

/** Self-registration with the registry for one app; import it once in the app's root module. */
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
        { provide: AFTER_LISTEN, useExisting: RegistrationService },
      ],
      exports: [RegistrationService, AFTER_LISTEN],
    };
  }
}
