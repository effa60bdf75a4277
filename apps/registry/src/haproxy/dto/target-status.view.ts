import { count, isoTime } from '@app/http';
import { z } from 'zod';

/** What the registry knows of one HAProxy, for /health-check, the dashboard and the metrics. */
export const targetStatusView = z
  .object({
    address: z.string().meta({ description: "Its Runtime API's address" }),
    reachable: z.boolean(),
    applied_index: count
      .nullable()
      .meta({ description: 'The change index it has applied (null: none yet, as after its restart)' }),
    lag_ms: z.number().min(0).meta({ description: "How long it has been behind the registry's index" }),
    started_at: isoTime
      .nullable()
      .meta({ description: 'When this HAProxy process started; null until it answered' }),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'HaproxyStatus', description: 'One HAProxy the registry drives.' });
export type TargetStatus = z.infer<typeof targetStatusView>;
