import { z } from 'zod';

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * One wording, in every app, for a field that is missing or of the wrong kind: "is required", "must be
 * a string". zod's own ("Invalid input: expected string, received undefined") is written for developers.
 * A schema's own message still wins; this only replaces zod's default for those two cases.
 */
export function useInputMessages(): void {
  z.config({
    customError: (issue) => {
      if (issue.code !== 'invalid_type') return undefined;
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    },
  });
}
