import { Controller, Delete, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { TOKEN_REQUIRED } from '../auth/token.guard';
import {
  healthyQuery,
  instanceParams,
  lookupSchema,
  registrationSchema,
  toRegistration,
  weightSchema,
} from './dto/registration.schema';
import {
  instanceView,
  type InstanceView,
  serviceInstancesView,
  type ServiceInstancesView,
  servicesView,
  type ServicesView,
} from './dto/instance.view';
import { type PrometheusTargetGroup, prometheusTargetsView } from './dto/prometheus-target.view';
import { Blocking } from '../watch/blocking.decorator';
import { InstancesService } from './instances.service';

const NO_INSTANCE = { 404: 'No such instance of this service.' };

/**
 * The registry's API: the seed's routes and the resource routes (README; docs/ARCHITECTURE.md for the
 * request paths). Reads that list instances are blocking queries (`?index=&wait=`).
 */
@Controller()
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Post(['services', 'new/service'])
  @ApiSummary('Register an instance, or refresh its record')
  @Returns(instanceView)
  @ApiResponses({ ...TOKEN_REQUIRED, 200: 'Already registered: the record is refreshed.' })
  async register(
    @Input(registrationSchema) registration: z.output<typeof registrationSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InstanceView> {
    const { instance, created } = await this.instances.register(toRegistration(registration));
    void reply.status(created ? 201 : 200);
    return instance;
  }

  @Post('service/exists')
  @ApiSummary("Look an instance up by service and URL (the seed's route)")
  @Returns(instanceView)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  @HttpCode(200)
  exists(@Input(lookupSchema) { service_name, url }: z.output<typeof lookupSchema>): Promise<InstanceView> {
    return this.instances.exists(service_name, url);
  }

  @Get('services')
  @ApiSummary('Every instance of every service, whatever its state')
  @Returns(servicesView)
  @Blocking()
  async all(): Promise<ServicesView> {
    return { services: await this.instances.all() };
  }

  @Get('services/:name/instances')
  @ApiSummary("A service's passing instances")
  @Returns(serviceInstancesView)
  @Blocking()
  async healthy(
    @Input(healthyQuery) { name, tag }: z.output<typeof healthyQuery>,
  ): Promise<ServiceInstancesView> {
    return { service_name: name, instances: await this.instances.healthy(name, tag) };
  }

  /** Prometheus's HTTP service discovery: the passing instances, labelled with service and instance_id. */
  @Get('prometheus/targets')
  @ApiSummary('The passing instances as Prometheus http_sd target groups')
  @Returns(prometheusTargetsView)
  prometheusTargets(): Promise<PrometheusTargetGroup[]> {
    return this.instances.prometheusTargets();
  }

  @Get('services/:name/instances/:id')
  @ApiSummary('One instance')
  @Returns(instanceView)
  @ApiResponses(NO_INSTANCE)
  one(@Input(instanceParams) { name, id }: z.output<typeof instanceParams>): Promise<InstanceView> {
    return this.instances.get(name, id);
  }

  @Put('services/:name/instances/:id/weight')
  @ApiSummary("Set an instance's weight in HAProxy (0 takes no new requests)")
  @Returns(instanceView)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  weigh(@Input(weightSchema) { name, id, weight }: z.output<typeof weightSchema>): Promise<InstanceView> {
    return this.instances.setWeight(name, id, weight);
  }

  @Delete('services/:name/instances/:id')
  @ApiSummary('Deregister an instance')
  @Returns(instanceView)
  @ApiResponses({ ...TOKEN_REQUIRED, ...NO_INSTANCE })
  deregister(@Input(instanceParams) { name, id }: z.output<typeof instanceParams>): Promise<InstanceView> {
    return this.instances.deregister(name, id);
  }
}
