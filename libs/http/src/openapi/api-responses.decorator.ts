import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link ApiResponses}. */
export const API_RESPONSES = 'chirp:api-responses';

/** Statuses and what each means, for the answers a route's code decides; `null` for one it never gives. */
export type ResponseNotes = Record<number, string | null>;

/**
 * Documents the statuses only the domain knows (404, 409, 401, a 200 beside the usual 201) on a route
 * or a whole controller; the OpenAPI document adds those every route shares (400, 413, 415, 503).
 */
export const ApiResponses = (notes: ResponseNotes) => SetMetadata(API_RESPONSES, notes);
