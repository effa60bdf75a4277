import { DynamoLiveness } from './dynamo-liveness';

describe(DynamoLiveness.name, () => {
  let now: number;
  let sut: DynamoLiveness;

  beforeEach(() => {
    now = 10_000;
    sut = new DynamoLiveness(1_000, () => now);
  });

  it('knows nothing before the first answer', () => {
    expect(sut.recentlyAnswered()).toBe(false);
  });

  it('trusts an answer for freshMs only', () => {
    sut.answered();
    now += 999;
    expect(sut.recentlyAnswered()).toBe(true);
    now += 1;
    expect(sut.recentlyAnswered()).toBe(false);
  });

  it('distrusts an answer once a later request failed', () => {
    sut.answered();
    now += 10;
    sut.failed();
    expect(sut.recentlyAnswered()).toBe(false);
    now += 10;
    sut.answered();
    expect(sut.recentlyAnswered()).toBe(true);
  });
});
