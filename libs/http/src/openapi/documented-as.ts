/**
 * zod metadata that documents a field as `rendered` instead of as zod would render it: for an input
 * read in one form and meaning another (digits read into a number, `key:value` pairs into an object),
 * the document shows what it means.
 */
export const documentedAs = (rendered: Record<string, unknown>) => ({
  override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, rendered);
  },
});
