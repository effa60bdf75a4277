import { type DynamicModule, Module } from '@nestjs/common';

/** Holds an app's validated configuration, injectable everywhere by its token. */
@Module({})
export class ConfigModule {
  /** A global module providing `config` under `token`; each app imports it once in its root module. */
  static forRoot<T>(token: symbol, config: T): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: token, useValue: config }],
      exports: [token],
    };
  }
}
