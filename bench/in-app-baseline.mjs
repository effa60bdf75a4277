// Preloaded into a likes instance by bench/likes.bench.mjs (node --import): the bare baseline
// (bench/baseline-likes.mjs) served from the same process, on BASELINE_PORT, while the app itself
// stays idle. What it loses against the baseline alone is what the process costs the same code (its
// heap, the JIT's state of what they share), not what the framework does per request.
const appPort = process.env.PORT;
process.env.PORT = process.env.BASELINE_PORT;
await import('./baseline-likes.mjs');
process.env.PORT = appPort;
