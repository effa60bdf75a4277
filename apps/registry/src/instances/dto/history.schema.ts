import { z } from 'zod';
import { serviceName } from './registration.schema';

/** `GET /services/:name/health?limit=`: newest checks first, at most 1000. */
export const historyQuery = z.object({
  name: serviceName,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
