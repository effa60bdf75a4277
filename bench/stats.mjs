// Small statistics the benchmarks share.

/** The median of `xs` (the mean of the two middle values of an even count). */
export function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
}
