// Two servers measured in the same seconds: each has its own wrk, but only one runs at a time (the
// other is stopped with SIGSTOP, its wrk then idle on its connections) and they swap every slice.
// On this machine a server's req/s moves by 10-20% from one second to the next on its own; runs
// seconds apart (the likes benchmark's first design) compared two moments as much as two servers.
// Here both see the same moments, so a pair's ratio holds to a few percent from one run to the next.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { wrk } from './wrk.mjs';

/** CPU time (ns) used so far by every thread of `pid` (Linux's schedstat: exact, unlike stat's ticks). */
export function cpuNanos(pid) {
  return readdirSync(`/proc/${pid}/task`).reduce(
    (sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]),
    0,
  );
}

/** SIGCONT, unless the process is gone (its exit is reported where it was started). */
function resume(pid) {
  try {
    process.kill(pid, 'SIGCONT');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Loads `servers` (two of `{ pid }`) with wrk, `load(server)` giving each its `[url, options]`, for
 * `seconds`, letting them run in turns of `sliceMs`. For each: req/s over the time it was let run,
 * CPU µs per request, wrk's CPU per second run (as a share of a core), requests and failures. Its
 * latencies are not returned: they include the time the server was stopped.
 */
export async function interleaved(servers, load, { seconds, sliceMs, connections }) {
  const cpuBefore = servers.map((s) => cpuNanos(s.pid));
  process.kill(servers[1].pid, 'SIGSTOP');
  const runs = servers.map((s) => {
    const [url, options] = load(s);
    return wrk(url, { ...options, connections, duration: seconds });
  });
  const ran = [0, 0];
  let turn = 0;
  let last = performance.now();
  const end = last + seconds * 1000 - sliceMs; // both stopped for the rest, until wrk ends
  try {
    while (performance.now() < end) {
      await sleep(sliceMs);
      process.kill(servers[turn].pid, 'SIGSTOP');
      const now = performance.now();
      ran[turn] += now - last;
      last = now;
      turn = 1 - turn;
      if (now < end) process.kill(servers[turn].pid, 'SIGCONT');
    }
    const results = await Promise.all(runs);
    return results.map((run, i) => {
      const ranSeconds = ran[i] / 1000;
      return {
        rps: run.requests / ranSeconds,
        serverCpu: (cpuNanos(servers[i].pid) - cpuBefore[i]) / run.requests / 1000,
        generatorCpu: (run.generatorCpu * seconds) / ranSeconds,
        requests: run.requests,
        failed: run.failed,
      };
    });
  } finally {
    for (const s of servers) resume(s.pid);
  }
}
