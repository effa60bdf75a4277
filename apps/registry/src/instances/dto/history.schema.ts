import { integerIn } from '@app/http';
import { z } from 'zod';
import { serviceName } from './registration.schema';

/** `GET /services/:name/health?limit=`: newest checks first, at most 1000. */
export const historyQuery = z.object({
  name: serviceName,
  limit: integerIn(1, 1000, 100),
});

/**
 * The seed's `GET /health-check?service_name=&limit=` (its example spells it `serive_name`): a
 * service's history as {@link historyQuery} reads it, or nothing when no service is named.
 */
export const healthCheckQuery = z
  .object({
    service_name: serviceName.optional(),
    serive_name: serviceName.optional().meta({ description: "The seed's spelling of service_name." }),
    limit: historyQuery.shape.limit,
  })
  .transform(({ service_name, serive_name, limit }) => {
    const name = service_name ?? serive_name;
    return name === undefined ? undefined : { name, limit };
  });
