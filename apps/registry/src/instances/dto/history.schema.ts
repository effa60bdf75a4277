import { integerIn } from '@app/http';
import { z } from 'zod';
import { serviceName } from './registration.schema';

/** `GET /services/:name/health?limit=`: newest checks first, at most 1000. */
export const historyQuery = z.object({
  name: serviceName,
  limit: integerIn(1, 1000).default(100),
});
