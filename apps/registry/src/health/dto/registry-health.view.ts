import { healthReportView } from '@app/discovery';
import { z } from 'zod';
import { serviceChecksView } from '../../checker/dto/check.view';
import { targetStatusView } from '../../haproxy/dto/target-status.view';

/** The registry's own health: its store, the checker's lease and every HAProxy it drives. */
export const registryHealthView = healthReportView
  .extend({
    checker: z
      .object({
        holder: z.string().nullable().meta({ description: "The lease's holder; null when nobody leads" }),
        epoch: z.number().int().min(0),
        this_registry: z.boolean(),
      })
      .meta({ description: 'Which registry leads the health checks' }),
    haproxy: z.array(targetStatusView),
  })
  .meta({
    id: 'RegistryHealth',
    description: "The registry's store answers; who checks; where each HAProxy stands.",
  });
export type RegistryHealthView = z.infer<typeof registryHealthView>;

/** `GET /health-check`: the registry's health, or with `?service_name=` (the seed's) that service's checks. */
export const healthCheckView = z.union([registryHealthView, serviceChecksView]);
export type HealthCheckView = z.infer<typeof healthCheckView>;
