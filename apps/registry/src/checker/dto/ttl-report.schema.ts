import { unquoteIdentifier } from '@app/http';
import { z } from 'zod';
import { instanceParams } from '../../instances/dto/registration.schema';

/** `PUT /services/:name/instances/:id/ttl`: what a TTL-checked instance reports of itself. */
export const ttlReportSchema = instanceParams.extend({
  status: z.preprocess(
    unquoteIdentifier,
    z.enum(['passing', 'critical'], { error: 'must be passing or critical' }),
  ),
  output: z.string().max(4096, 'must be at most 4096 characters').default(''),
});
