// Preloaded into an app by a benchmark (node -r): the first SIGUSR2 starts V8's sampling profiler,
// the next writes what it sampled to CPU_PROFILE_FILE (whole: written aside, then renamed), so a
// profile covers exactly the measured load, not the app's boot or warm-up.
const { Session } = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');

const file = process.env.CPU_PROFILE_FILE;
const session = new Session();
session.connect();
let profiling = false;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')),
    );
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    writeFileSync(
      `${file}.tmp`,
      error ? JSON.stringify({ error: String(error) }) : JSON.stringify(result.profile),
    );
    renameSync(`${file}.tmp`, file);
  });
});
