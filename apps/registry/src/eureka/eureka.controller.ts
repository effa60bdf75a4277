import { Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { TOKEN_REQUIRED } from '../auth/token.guard';
import {
  eurekaAppParams,
  eurekaIdParams,
  eurekaInstanceParams,
  eurekaMetadataSchema,
  eurekaOverrideRemoval,
  eurekaRegistrationSchema,
  eurekaStatusSchema,
  eurekaVipParams,
} from './dto/eureka-registration.schema';
import { eurekaApplicationsView, eurekaApplicationView, eurekaInstanceView } from './dto/eureka.view';
import { EurekaRegistry } from './eureka-registry';
import { toEurekaXml, wantsJson } from './eureka-xml';

/** Eureka answers XML unless asked for JSON (see {@link wantsJson}); both are documented. */
const BOTH = ['application/json', 'application/xml'];
const NO_INSTANCE = { 404: 'No such instance of this application: an Eureka client registers again.' };
type Answer = object | string;

/**
 * Eureka's REST API (Netflix/eureka's `eureka-core` resources) at `/eureka`, over Chirp's instances:
 * Eureka's clients and tools (eureka-js-client, Spring Cloud, Prometheus's `eureka_sd_configs`) use the
 * registry unchanged. A write answers with the instance it changed.
 */
@Controller('eureka')
export class EurekaController {
  constructor(private readonly eureka: EurekaRegistry) {}

  @Post('apps/:app')
  @HttpCode(204)
  @ApiSummary('Register an instance (InstanceInfo, JSON or XML)')
  @ApiResponses({ ...TOKEN_REQUIRED, 204: 'Registered.' })
  eurekaRegister(
    @Input(eurekaRegistrationSchema) input: z.output<typeof eurekaRegistrationSchema>,
  ): Promise<void> {
    return this.eureka.register(input);
  }

  @Put('apps/:app/:id')
  @ApiSummary("Renew an instance's lease (its heartbeat)")
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaRenew(
    @Input(eurekaInstanceParams) { app, id }: z.output<typeof eurekaInstanceParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    await this.eureka.renew(app, id);
    return this.instanceAnswer(app, id, request, reply);
  }

  @Delete('apps/:app/:id')
  @ApiSummary('Cancel (deregister) an instance')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaCancel(
    @Input(eurekaInstanceParams) { app, id }: z.output<typeof eurekaInstanceParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    const instance = { instance: await this.eureka.instance(app, id) };
    await this.eureka.cancel(app, id);
    return answer(request, reply, instance);
  }

  @Put('apps/:app/:id/status')
  @ApiSummary("Override an instance's status (OUT_OF_SERVICE: maintenance)")
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaSetStatus(
    @Input(eurekaStatusSchema) { app, id, value }: z.output<typeof eurekaStatusSchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    await this.eureka.setStatus(app, id, value);
    return this.instanceAnswer(app, id, request, reply);
  }

  @Delete('apps/:app/:id/status')
  @ApiSummary('Remove the status override (end the maintenance)')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaRemoveOverride(
    @Input(eurekaOverrideRemoval) { app, id, value }: z.output<typeof eurekaOverrideRemoval>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    await this.eureka.removeOverride(app, id, value);
    return this.instanceAnswer(app, id, request, reply);
  }

  @Put('apps/:app/:id/metadata')
  @ApiSummary("Add to an instance's metadata (`?key=value`)")
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaAddMetadata(
    @Input(eurekaMetadataSchema) { app, id, ...pairs }: z.output<typeof eurekaMetadataSchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    await this.eureka.addMetadata(app, id, pairs);
    return this.instanceAnswer(app, id, request, reply);
  }

  @Get('apps')
  @ApiSummary('Every application and its instances')
  @Returns(eurekaApplicationsView, BOTH)
  async eurekaApps(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return answer(request, reply, await this.eureka.applications());
  }

  @Get('apps/delta')
  @ApiSummary('What changed in about the last three minutes')
  @Returns(eurekaApplicationsView, BOTH)
  async eurekaDelta(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return answer(request, reply, await this.eureka.changed());
  }

  @Get('apps/:app')
  @ApiSummary('One application')
  @Returns(eurekaApplicationView, BOTH)
  @ApiResponses({ 404: 'No such application.' })
  async eurekaApp(
    @Input(eurekaAppParams) { app }: z.output<typeof eurekaAppParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(request, reply, { application: await this.eureka.application(app) });
  }

  @Get('apps/:app/:id')
  @ApiSummary('One instance of an application')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses(NO_INSTANCE)
  eurekaInstance(
    @Input(eurekaInstanceParams) { app, id }: z.output<typeof eurekaInstanceParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Answer> {
    return this.instanceAnswer(app, id, request, reply);
  }

  @Get('instances/:id')
  @ApiSummary('One instance, whatever its application')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ 404: 'No such instance.' })
  async eurekaInstanceById(
    @Input(eurekaIdParams) { id }: z.output<typeof eurekaIdParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(request, reply, { instance: await this.eureka.anywhere(id) });
  }

  @Get(['vips/:vip', 'svips/:vip'])
  @ApiSummary('The instances with a VIP address (their service name)')
  @Returns(eurekaApplicationsView, BOTH)
  async eurekaVip(
    @Input(eurekaVipParams) { vip }: z.output<typeof eurekaVipParams>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(request, reply, await this.eureka.vip(vip));
  }

  private async instanceAnswer(app: string, id: string, request: FastifyRequest, reply: FastifyReply) {
    return answer(request, reply, { instance: await this.eureka.instance(app, id) });
  }
}

/** `body` as JSON when the reader asked for it, else as Eureka's XML. */
export function answer(request: FastifyRequest, reply: FastifyReply, body: object): Answer {
  if (wantsJson(request.headers.accept)) return body;
  void reply.type('application/xml');
  return toEurekaXml(body);
}
