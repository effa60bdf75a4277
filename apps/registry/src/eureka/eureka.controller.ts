import { Controller, Delete, Get, HttpCode, Post, Put, UseInterceptors } from '@nestjs/common';
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
import {
  eurekaApplicationsView,
  type EurekaApplicationsView,
  eurekaApplicationView,
  eurekaInstanceView,
  type EurekaInstance,
} from './dto/eureka.view';
import { EurekaAnswerInterceptor } from './eureka-answer.interceptor';
import { EurekaRegistry } from './eureka-registry';

/** Eureka answers XML unless asked for JSON (see the interceptor); both are documented. */
const BOTH = ['application/json', 'application/xml'];
const NO_INSTANCE = { 404: 'No such instance of this application: an Eureka client registers again.' };
type InstanceAnswer = { instance: EurekaInstance };

/**
 * Eureka's REST API (Netflix/eureka's `eureka-core` resources) at `/eureka`, over Chirp's instances:
 * Eureka's clients and tools (eureka-js-client, Spring Cloud, Prometheus's `eureka_sd_configs`) use the
 * registry unchanged. A write answers with the instance it changed.
 */
@Controller('eureka')
@UseInterceptors(EurekaAnswerInterceptor)
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
  ): Promise<InstanceAnswer> {
    await this.eureka.renew(app, id);
    return { instance: await this.eureka.instance(app, id) };
  }

  @Delete('apps/:app/:id')
  @ApiSummary('Cancel (deregister) an instance')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaCancel(
    @Input(eurekaInstanceParams) { app, id }: z.output<typeof eurekaInstanceParams>,
  ): Promise<InstanceAnswer> {
    const instance = await this.eureka.instance(app, id);
    await this.eureka.cancel(app, id);
    return { instance };
  }

  @Put('apps/:app/:id/status')
  @ApiSummary("Override an instance's status (OUT_OF_SERVICE: maintenance)")
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaSetStatus(
    @Input(eurekaStatusSchema) { app, id, value }: z.output<typeof eurekaStatusSchema>,
  ): Promise<InstanceAnswer> {
    await this.eureka.setStatus(app, id, value);
    return { instance: await this.eureka.instance(app, id) };
  }

  @Delete('apps/:app/:id/status')
  @ApiSummary('Remove the status override (end the maintenance)')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaRemoveOverride(
    @Input(eurekaOverrideRemoval) { app, id, value }: z.output<typeof eurekaOverrideRemoval>,
  ): Promise<InstanceAnswer> {
    await this.eureka.removeOverride(app, id, value);
    return { instance: await this.eureka.instance(app, id) };
  }

  @Put('apps/:app/:id/metadata')
  @ApiSummary("Add to an instance's metadata (`?key=value`)")
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  async eurekaAddMetadata(
    @Input(eurekaMetadataSchema) { app, id, ...pairs }: z.output<typeof eurekaMetadataSchema>,
  ): Promise<InstanceAnswer> {
    await this.eureka.addMetadata(app, id, pairs);
    return { instance: await this.eureka.instance(app, id) };
  }

  @Get('apps')
  @ApiSummary('Every application and its instances')
  @Returns(eurekaApplicationsView, BOTH)
  eurekaApps(): Promise<EurekaApplicationsView> {
    return this.eureka.applications();
  }

  @Get('apps/delta')
  @ApiSummary('What changed in about the last three minutes')
  @Returns(eurekaApplicationsView, BOTH)
  eurekaDelta(): Promise<EurekaApplicationsView> {
    return this.eureka.changed();
  }

  @Get('apps/:app')
  @ApiSummary('One application')
  @Returns(eurekaApplicationView, BOTH)
  @ApiResponses({ 404: 'No such application.' })
  async eurekaApp(@Input(eurekaAppParams) { app }: z.output<typeof eurekaAppParams>) {
    return { application: await this.eureka.application(app) };
  }

  @Get('apps/:app/:id')
  @ApiSummary('One instance of an application')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses(NO_INSTANCE)
  async eurekaInstance(
    @Input(eurekaInstanceParams) { app, id }: z.output<typeof eurekaInstanceParams>,
  ): Promise<InstanceAnswer> {
    return { instance: await this.eureka.instance(app, id) };
  }

  @Get('instances/:id')
  @ApiSummary('One instance, whatever its application')
  @Returns(eurekaInstanceView, BOTH)
  @ApiResponses({ 404: 'No such instance.' })
  async eurekaInstanceById(
    @Input(eurekaIdParams) { id }: z.output<typeof eurekaIdParams>,
  ): Promise<InstanceAnswer> {
    return { instance: await this.eureka.anywhere(id) };
  }

  @Get(['vips/:vip', 'svips/:vip'])
  @ApiSummary('The instances with a VIP address (their service name)')
  @Returns(eurekaApplicationsView, BOTH)
  eurekaVip(
    @Input(eurekaVipParams) { vip }: z.output<typeof eurekaVipParams>,
  ): Promise<EurekaApplicationsView> {
    return this.eureka.vip(vip);
  }
}
