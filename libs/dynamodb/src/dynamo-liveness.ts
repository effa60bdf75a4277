/**
 * When DynamoDB last answered (any answer, a refused condition included) and when it last could
 * not be reached. Lets the health probe answer from live traffic instead of queueing one more
 * request behind a busy store, which HAProxy's 1 s check would count as a failure.
 */
export class DynamoLiveness {
  private answeredAt = 0;
  private failedAt = 0;

  constructor(
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  answered(): void {
    this.answeredAt = this.now();
  }

  failed(): void {
    this.failedAt = this.now();
  }

  /** True when DynamoDB answered within the last `freshMs` and nothing has failed since. */
  recentlyAnswered(): boolean {
    return this.answeredAt > this.failedAt && this.now() - this.answeredAt < this.freshMs;
  }
}
