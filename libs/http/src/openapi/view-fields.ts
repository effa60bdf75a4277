import { z } from 'zod';

/** A time in an answer: ISO 8601 in UTC, as everywhere in the APIs. */
export const isoTime = z.iso.datetime().meta({ description: 'ISO 8601, UTC' });

/** A count in an answer: a whole number, never negative. */
export const count = z.number().int().min(0);

/** A time in epoch milliseconds as answers give it. */
export const toIso = (millis: number): string => new Date(millis).toISOString();
