// The seed's httpie examples wrap values in typographic quotes (username=”John”, choice=”yes”); a
// shell passes those on, so the services take them off rather than refuse the seed's own commands.
const AROUND_IDENTIFIER = /^[\s"'“”‘’]+|[\s"'“”‘’]+$/g;
const AROUND_TEXT = /^[\s“”‘’]+|[\s“”‘’]+$/g;

const strip = (pattern: RegExp) => (value: unknown) =>
  typeof value === 'string' ? value.replace(pattern, '') : value;

/** An identifier (name, id, URL, number) without quotes around it: none belongs in one. */
export const unquoteIdentifier = strip(AROUND_IDENTIFIER);

/** Free text without typographic quotes around it; ASCII quotes are kept ("'90s" stays '90s). */
export const unquoteText = strip(AROUND_TEXT);
