import { z } from 'zod';

/** The body of a healthy answer: every store named with its state. */
export const healthReportView = z
  .object({ status: z.literal('ok'), stores: z.record(z.string(), z.literal('up')) })
  .meta({ id: 'Health', description: 'Every store the app uses answers (a 503 names those that do not).' });
export type HealthReport = z.infer<typeof healthReportView>;
