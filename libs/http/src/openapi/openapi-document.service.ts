import { MetricsController } from '@app/metrics';
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { apiRoutes } from './api-route';
import { openApiDocument, type OpenApiInfo } from './openapi-document';

/** Injection token of the app's {@link OpenApiInfo}. */
export const OPENAPI_INFO = Symbol('OPENAPI_INFO');

/** The app's OpenAPI document, built from its controllers the first time it is asked for. */
@Injectable()
export class OpenApiDocument {
  private document?: Promise<object>;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(OPENAPI_INFO) private readonly info: OpenApiInfo,
  ) {}

  get title(): string {
    return this.info.title;
  }

  get(): Promise<object> {
    // Lazily: an app that is never asked for its document never pays for it, and boot stays short.
    this.document ??= openApiDocument(
      this.info,
      apiRoutes(
        this.discovery
          .getControllers()
          .map((wrapper) => wrapper.metatype as never)
          // GET /metrics is for Prometheus on each instance's own port; HAProxy answers 404 for it, so
          // the public document leaves it out.
          .filter((controller) => controller !== MetricsController),
      ),
    );
    return this.document;
  }
}
