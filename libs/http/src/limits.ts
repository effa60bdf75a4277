/** The longest path parameter the router takes; a longer one is a 414 (by the router, or a catch-all). */
export const MAX_PARAM_LENGTH = 100;

/** What that 414 says, whoever answers it. */
export const PARAM_TOO_LONG = `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`;

/** Node's default limit on a request's headers; past it Node answers 431 itself. */
export const HEADER_LIMIT_KIB = 16;
