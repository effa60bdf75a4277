import { parseGoDuration } from './go-duration';

describe(parseGoDuration.name, () => {
  it.each([
    ['120000ms', 120_000], // Prometheus
    ['60000ms', 60_000], // consul-template
    ['1m30s', 90_000],
    ['90s', 90_000],
    ['1.5h', 5_400_000],
    ['500us', 0.5],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '90', 'soon', '1m30', '-5s', '+5s', '5 s', '5S', '1d'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
