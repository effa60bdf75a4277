import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Input } from '../input.decorator';
import { ApiResponses } from './api-responses.decorator';
import { ApiSummary } from './api-summary.decorator';
import { OpenApiDocument } from './openapi-document.service';
import { Returns } from './returns.decorator';
import { DOCS_MEDIA_TYPES, docsAsset, swaggerUiAsset, swaggerUiPage } from './swagger-ui';

/** `GET /openapi.json`, and Swagger UI on it at `GET /docs`. */
@Controller()
// Served from memory and the package's files: no store is involved.
@ApiResponses({ 503: null })
export class OpenApiController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get('openapi.json')
  @ApiSummary('This document')
  @Returns(z.looseObject({ openapi: z.string() }).meta({ description: 'This document' }))
  openApi(): Promise<object> {
    return this.document.get();
  }

  @Get('docs')
  @ApiSummary('Swagger UI on this document')
  @Returns(z.string(), ['text/html'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  docs(): string {
    return swaggerUiPage(this.document.title);
  }

  @Get('docs/:asset')
  @ApiSummary("One of Swagger UI's files")
  @Returns(z.string(), DOCS_MEDIA_TYPES)
  @Header('Cache-Control', 'public, max-age=3600')
  asset(
    @Input(docsAsset) { asset }: z.output<typeof docsAsset>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Buffer {
    const { type, content } = swaggerUiAsset(asset);
    void reply.type(type);
    return content;
  }
}
