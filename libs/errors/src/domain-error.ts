/** The kinds of failure the domain names; the HTTP layer maps each to one status code. */
export enum DomainErrorCode {
  /** What was asked for does not exist (a post, a poll, an instance, a like to undo). */
  NotFound = 'not_found',
  /** The change collides with what is there (a second like, a second vote). */
  Conflict = 'conflict',
  /** The request is well formed but not acceptable (a choice the poll lacks, a host not allowed). */
  Rejected = 'rejected',
  /** A store did not answer, or answered that it is overloaded: nothing was changed. */
  StoreUnavailable = 'store_unavailable',
  /** Too many requests of a bounded kind are in progress; the caller may retry later. */
  Overloaded = 'overloaded',
}

/** An expected failure below the HTTP layer: its code says which kind, its message says what, for people. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** What was asked for does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(DomainErrorCode.NotFound, message);
  }
}

/** The change collides with what is already there. */
export class ConflictError extends DomainError {
  constructor(message: string) {
    super(DomainErrorCode.Conflict, message);
  }
}

/** The request was refused for a reason it carries (a vote for a choice the poll does not have). */
export class RejectedError extends DomainError {
  constructor(message: string) {
    super(DomainErrorCode.Rejected, message);
  }
}

/** A store (`redis`, `dynamodb`, `sqlite`) is down or overloaded; the message names it and why. */
export class StoreUnavailableError extends DomainError {
  constructor(
    readonly store: string,
    reason?: string,
  ) {
    super(
      DomainErrorCode.StoreUnavailable,
      reason ? `${store} unavailable (${reason})` : `${store} unavailable`,
    );
  }
}

/** A bounded resource (held blocking queries) is full; nothing was changed, retry later. */
export class OverloadedError extends DomainError {
  constructor(message: string) {
    super(DomainErrorCode.Overloaded, message);
  }
}
