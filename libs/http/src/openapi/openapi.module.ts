import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { OpenApiInfo } from './openapi-document';
import { OPENAPI_INFO, OpenApiDocument } from './openapi-document.service';
import { OpenApiController } from './openapi.controller';

/** `GET /openapi.json` and `GET /docs` for every route the app maps, from the zod schemas that validate them. */
@Module({})
export class OpenApiModule {
  static forRoot(info: OpenApiInfo): DynamicModule {
    return {
      module: OpenApiModule,
      imports: [DiscoveryModule],
      controllers: [OpenApiController],
      providers: [{ provide: OPENAPI_INFO, useValue: info }, OpenApiDocument],
    };
  }
}
