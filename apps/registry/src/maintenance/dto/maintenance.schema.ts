import { z } from 'zod';
import { instanceParams, serviceParams } from '../../instances/dto/registration.schema';

/** Consul's reason when none is given. */
export const DEFAULT_REASON =
  'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';

/** A JSON boolean, or `true`/`false` as a query string or a form gives one. */
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);

/** `PUT …/maintenance` (query, form or JSON): `enable` (default true; false ends it) and a `reason`. */
const maintenanceBody = z.object({
  enable: flag.default(true),
  reason: z.string().max(1024, 'must be at most 1024 characters').default(DEFAULT_REASON),
});

export const instanceMaintenance = instanceParams.extend(maintenanceBody.shape);
export const serviceMaintenance = serviceParams.extend(maintenanceBody.shape);
