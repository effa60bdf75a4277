import { z } from 'zod';

/**
 * An integer from `min` to `max`, given as a number or as text (query string, form); every way of
 * missing says the same plain thing rather than zod's "expected number, received NaN".
 */
export const integerIn = (min: number, max: number) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};
