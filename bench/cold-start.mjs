// Cold start: `bin/start.sh` (what `npm start` runs after its installs and build: bin/init.sh, then
// foreman start) until every instance of the formation serves through HAProxy. Uses the development
// stack's ports and var/, like `npm start`; refuses to run while something answers on :5500.
// Usage: npm run build && bin/node bench/cold-start.mjs
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const get = async (url) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  } catch {
    return { status: 0 };
  }
};
if ((await get('http://127.0.0.1:5500/services')).status !== 0) {
  console.error('cold-start: something already answers on :5500; stop the running stack first');
  process.exit(1);
}

const started = performance.now();
const stack = spawn('bash', ['bin/start.sh'], { detached: true, stdio: 'ignore' });
const marks = {};
const mark = (name) => (marks[name] ??= Math.round(performance.now() - started));
const deadline = Date.now() + 180_000;
while (Date.now() < deadline) {
  const { body } = await get('http://127.0.0.1:5500/services');
  const passing = (name) =>
    (body?.services ?? []).filter((s) => s.service_name === name && s.status === 'passing').length;
  if (passing('registry') >= 1) mark('registry');
  if (passing('likes') >= 3 && passing('polls') >= 3) mark('all registered');
  if (marks['all registered']) {
    const [likes, polls] = await Promise.all([
      get('http://127.0.0.1:5100/health-check'),
      get('http://127.0.0.1:5400/health-check'),
    ]);
    if (likes.status === 200 && polls.status === 200) {
      mark('serving');
      break;
    }
  }
  await sleep(200);
}
process.kill(-stack.pid, 'SIGINT');
await new Promise((resolve) => stack.on('exit', resolve));

const rows = Object.entries(marks).map(([name, ms]) => `| ${name} | ${(ms / 1000).toFixed(1)} s |`);
console.log(`## Cold start

\`bin/start.sh\` (bin/init.sh, then foreman with redis, dynamodb, haproxy, registry, likes×3, polls×3, prometheus) until
every instance serves through HAProxy; the build is done beforehand, as \`npm start\` does it first.

| reached | after |
|---|---|
${rows.join('\n')}
${marks.serving ? '' : '\nDid not reach "serving" within 180 s.\n'}`);
process.exit(marks.serving ? 0 : 1);
