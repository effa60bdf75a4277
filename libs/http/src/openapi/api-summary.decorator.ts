import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link ApiSummary}. */
export const API_SUMMARY = 'chirp:api-summary';

/** What a route does, in a line: the operation's `summary`, as Swagger UI lists it. */
export const ApiSummary = (summary: string) => SetMetadata(API_SUMMARY, summary);
