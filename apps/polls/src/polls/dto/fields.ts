import { integerIn, unquoteIdentifier, unquoteText } from '@app/http';
import { z } from 'zod';

// Control characters (C0, DEL, C1) and lone surrogates (not text at all) have no place in titles,
// names or choices.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDFFF]/u;

/** Text from a user: NFC-normalized, trimmed, 1..max characters, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((v) => !NOT_TEXT.test(v), 'must be text without control characters'),
    );

/** A poll's id as given by a caller (ids are UUIDs, but any unknown id is simply a 404). */
export const pollsId = z.preprocess(unquoteIdentifier, text(100));
export const username = z.preprocess(unquoteIdentifier, text(64));
/** Titles keep their quotes: in a sentence they can be meant (“Dune” or “Foundation”?). */
export const pollsTitle = text(200);
/** A choice or a response; the seed quotes each one (responses=”Italian”,”Mexican”). */
export const choice = z.preprocess(unquoteText, text(100));

/** Most responses a poll may have, and the fewest. */
export const MIN_RESPONSES = 2;
export const MAX_RESPONSES = 10;

/**
 * A poll's responses: a JSON array of strings, a string holding one, or a comma-separated list
 * (the seed's `responses=a,b`); each one trimmed and non-empty, 2-10 of them, all distinct.
 */
export const responses = z
  .union([z.string(), z.array(z.unknown())], { error: 'must be a comma-separated list or a JSON array' })
  // unknown[]: each item is checked (and unquoted) as a choice below.
  .transform((value, ctx): unknown[] => {
    let list: unknown = value;
    if (typeof value === 'string') {
      list = value.trimStart().startsWith('[') ? parseJsonArray(value) : value.split(',');
    }
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
      ctx.addIssue({ code: 'custom', message: 'must be a list of strings' });
      return z.NEVER;
    }
    return list;
  })
  .pipe(
    z
      .array(choice)
      .min(MIN_RESPONSES, `must have at least ${MIN_RESPONSES} responses`)
      .max(MAX_RESPONSES, `must have at most ${MAX_RESPONSES} responses`)
      .refine((list) => new Set(list).size === list.length, 'must all be different'),
  );

/** `limit` and `cursor` of a listing: 1..100 items per page, 20 unless asked. */
export const limit = integerIn(1, 100, 20);

function parseJsonArray(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
