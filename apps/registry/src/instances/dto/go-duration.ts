const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5, as Go writes it
  μs: 1e-3, // U+03BC, which Go accepts too
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Go's `time.ParseDuration` (`120000ms`, `1m30s`, `90s`, `0`), in milliseconds, as Consul reads `wait`;
 * `undefined` when `text` is not one. A sign is refused: a wait is never negative.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let ms = 0;
  for (let at = 0; at < text.length; at = PART.lastIndex) {
    PART.lastIndex = at;
    const part = PART.exec(text);
    if (!part) return undefined;
    ms += Number(part[1]) * UNIT_MS[part[2]];
  }
  return ms;
}
