import { Controller, Delete, Put } from '@nestjs/common';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, Input, Returns } from '@app/http';
import { TOKEN_REQUIRED } from '../auth/token.guard';
import { instanceParams, serviceParams } from '../instances/dto/registration.schema';
import {
  instanceView,
  type InstanceView,
  serviceInstancesView,
  type ServiceInstancesView,
} from '../instances/dto/instance.view';
import { instanceMaintenance, serviceMaintenance } from './dto/maintenance.schema';
import { MaintenanceService } from './maintenance.service';

const NO_INSTANCE = { ...TOKEN_REQUIRED, 404: 'No such instance of this service.' };
const NO_SERVICE = { ...TOKEN_REQUIRED, 404: 'The service has no instances.' };

/**
 * Maintenance mode (Consul's `/agent/service/maintenance`): an operator takes an instance, or every
 * instance of a service, out of traffic without stopping it, and puts it back.
 */
@Controller('services/:name')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Put('instances/:id/maintenance')
  @ApiSummary('Put an instance in maintenance (enable=false ends it)')
  @Returns(instanceView)
  @ApiResponses(NO_INSTANCE)
  instance(
    @Input(instanceMaintenance) { name, id, enable, reason }: z.output<typeof instanceMaintenance>,
  ): Promise<InstanceView> {
    return enable ? this.maintenance.enter(name, id, reason) : this.maintenance.leave(name, id);
  }

  @Delete('instances/:id/maintenance')
  @ApiSummary("End an instance's maintenance, after one passing check")
  @Returns(instanceView)
  @ApiResponses(NO_INSTANCE)
  endInstance(@Input(instanceParams) { name, id }: z.output<typeof instanceParams>): Promise<InstanceView> {
    return this.maintenance.leave(name, id);
  }

  @Put('maintenance')
  @ApiSummary('Put every instance of a service in maintenance (enable=false ends it)')
  @Returns(serviceInstancesView)
  @ApiResponses(NO_SERVICE)
  service(
    @Input(serviceMaintenance) { name, enable, reason }: z.output<typeof serviceMaintenance>,
  ): Promise<ServiceInstancesView> {
    return enable ? this.maintenance.enterService(name, reason) : this.maintenance.leaveService(name);
  }

  @Delete('maintenance')
  @ApiSummary('End the maintenance of every instance of a service')
  @Returns(serviceInstancesView)
  @ApiResponses(NO_SERVICE)
  endService(@Input(serviceParams) { name }: z.output<typeof serviceParams>): Promise<ServiceInstancesView> {
    return this.maintenance.leaveService(name);
  }
}
