/** The longest path parameter the router takes; a longer one is a 414 before any handler runs. */
export const MAX_PARAM_LENGTH = 100;

/** Node's default limit on a request's headers; past it Node answers 431 itself. */
export const HEADER_LIMIT_KIB = 16;
