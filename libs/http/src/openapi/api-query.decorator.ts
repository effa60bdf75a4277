import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

/** Metadata key of {@link ApiQuery}. */
export const API_QUERY = 'chirp:api-query';

/**
 * Documents query parameters a route reads outside its input, such as the `index` and `wait` an
 * interceptor takes; they are listed beside the input's own.
 */
export const ApiQuery = (fields: z.ZodObject) => SetMetadata(API_QUERY, fields);
