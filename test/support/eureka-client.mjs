// A real Eureka client (the npm eureka-js-client) for the registry's Eureka tests: registers APP
// (INSTANCE_ID, at 127.0.0.1:PORT, a lease of LEASE_S seconds renewed three times a lease), fetches
// the registry every FETCH_MS (full, then deltas), and prints what it sees of WATCH_VIP and of itself
// whenever that changes, as `SEES {"watch": [...], "self": [...]}` (`host:port STATUS`; the client
// adds UP instances only, and a delta's MODIFIED replaces an instance whatever its status). SIGTERM stops it (deregistering); SIGKILL leaves its lease to lapse.
// It reads by VIP address: eureka-js-client 4.5.0's by-app cache applies a delta's DELETED and
// MODIFIED to the app's first instance rather than the one named (`splice` given an array as index).
import { createRequire } from 'node:module';

const { Eureka } = createRequire(import.meta.url)('eureka-js-client');
const env = process.env;
const lease = Number(env.LEASE_S ?? 3);
const quiet = () => undefined;
const client = new Eureka({
  instance: {
    app: env.APP,
    instanceId: env.INSTANCE_ID,
    hostName: '127.0.0.1',
    ipAddr: '127.0.0.1',
    port: { $: Number(env.PORT), '@enabled': true },
    vipAddress: env.APP.toLowerCase(),
    dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$MyDataCenterInfo', name: 'MyOwn' },
    leaseInfo: { durationInSecs: lease, renewalIntervalInSecs: lease / 3 },
    metadata: { version: '1.2.3', 'management.port': env.PORT },
  },
  eureka: {
    serviceUrls: { default: [env.SERVICE_URL] },
    heartbeatInterval: (lease * 1000) / 3,
    registryFetchInterval: Number(env.FETCH_MS ?? 500),
    maxRetries: 2,
    requestRetryDelay: 200,
    preferSameZone: false,
  },
  shouldUseDelta: true,
  logger: {
    debug: quiet,
    info: quiet,
    // It warns of every app it has no instance of yet; the rest is worth seeing in a failure.
    warn: (message, ...rest) =>
      /Unable to retrieve instances/.test(message) || console.error(message, ...rest),
    error: (...a) => console.error(...a),
  },
});

const ids = (vip) =>
  client
    .getInstancesByVipAddress(vip)
    .map((i) => `${i.hostName}:${i.port.$} ${i.status}`)
    .sort();
let last = '';
setInterval(() => {
  const seen = JSON.stringify({ watch: ids(env.WATCH_VIP ?? 'likes'), self: ids(env.APP.toLowerCase()) });
  if (seen !== last) console.log(`SEES ${(last = seen)}`);
}, 100);

client.start((error) => console.log(error ? `FAILED ${error.message}` : 'STARTED'));
process.once('SIGTERM', () => client.stop(() => process.exit(0)));
