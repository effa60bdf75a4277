import { STATUS_CODES } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Semaphore } from 'async-mutex';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Instance, instanceAddress } from '../instances/instance';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import type { CheckOutcome } from '../store/check-transition';
import type { CheckRecord } from '../store/records';
import { probeTcp } from './tcp-probe';
import { ttlOutput, ttlVerdict } from '../instances/ttl-state';

/** What one probe saw: the status (null when no response came), how long it took, and why it failed. */
export interface ProbeResult {
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  passed: boolean;
}

/** An instance and what its probe saw. */
export interface Probed {
  instance: Instance;
  result: ProbeResult;
}

/** The history rows for probes that ended at `checkedAt`. */
export const toCheckRecords = (probed: Probed[], checkedAt: number): CheckRecord[] =>
  probed.map(({ instance, result }) => ({
    service_name: instance.service_name,
    instance_id: instance.id,
    url: instance.url,
    checked_at: checkedAt,
    ...result,
  }));

/** What a probe saw, in a line for people (Consul's check `Output`): the request and its answer or error. */
export function describeProbe({ instance, result }: Probed): string {
  if (instance.check.type === 'ttl') {
    return ttlOutput(instance.ttl, result, Date.now());
  }
  if (instance.check.type === 'tcp') {
    const { host, port } = instanceAddress(instance.url);
    return `TCP connect ${host}:${port}: ${result.passed ? 'Success' : result.error}`;
  }
  return `HTTP ${instance.http} ${instance.url}${instance.health_path}: ${
    result.status_code === null
      ? (result.error ?? 'no answer')
      : `${result.status_code} ${STATUS_CODES[result.status_code] ?? ''}`.trim()
  }`;
}

/** The outcomes the instances' records take from their probes. */
export const toOutcomes = (probed: Probed[]): CheckOutcome[] =>
  probed.map((one) => ({
    service_name: one.instance.service_name,
    id: one.instance.id,
    passed: one.result.passed,
    output: describeProbe(one),
  }));

/**
 * One check of an instance, as its definition says: an HTTP call (below), a TCP connect
 * ({@link probeTcp}) or a look at its TTL ({@link ttlVerdict}), each bounded by the instance's own
 * timeout or HEALTH_CHECK_TIMEOUT_MS.
 *
 * The HTTP call goes to the instance's health path with a hard timeout, on Node's own client: a check needs
 * only the status line, and at 10 000 instances a round's CPU is the probes' (about 260 µs a probe here
 * against 370-600 µs through axios). It never follows redirects and never uses a proxy, so a check
 * reaches only the registered host (see Consul's CVE-2022-29153).
 */
@Injectable()
export class HealthProbe {
  private readonly semaphore: Semaphore;

  constructor(@Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig) {
    this.semaphore = new Semaphore(config.HEALTH_CHECK_CONCURRENCY);
  }

  /** Probes every instance in parallel, at most HEALTH_CHECK_CONCURRENCY at once. */
  probeAll(instances: Instance[]): Promise<Probed[]> {
    return Promise.all(
      instances.map((instance) =>
        this.semaphore.runExclusive(async () => ({ instance, result: await this.probe(instance) })),
      ),
    );
  }

  probe(
    instance: Pick<Instance, 'url' | 'health_path' | 'http' | 'check' | 'ttl'>,
    now = Date.now(),
  ): Promise<ProbeResult> {
    const { check } = instance;
    if (check.type === 'ttl') {
      return Promise.resolve({ status_code: null, latency_ms: 0, ...ttlVerdict(instance.ttl, now) });
    }
    const timeout = check.timeout_ms ?? this.config.HEALTH_CHECK_TIMEOUT_MS;
    if (check.type === 'tcp') {
      const { host, port } = instanceAddress(instance.url);
      return probeTcp(host, port, timeout);
    }
    return this.probeHttp(instance, timeout);
  }

  private probeHttp(
    instance: Pick<Instance, 'url' | 'health_path' | 'http'>,
    timeout: number,
  ): Promise<ProbeResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failed = (error: NodeJS.ErrnoException): ProbeResult => ({
      status_code: null,
      latency_ms: elapsed(),
      error:
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `timed out after ${timeout} ms`
          : (error.code ?? error.message),
      passed: false,
    });
    return new Promise((resolve) => {
      let call: ReturnType<typeof httpRequest>;
      try {
        const url = new URL(instance.url + instance.health_path);
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        // agent: false, a fresh connection per check: a reused socket could hide that the instance
        // stopped listening.
        call = send(url, { method: instance.http, agent: false, signal: AbortSignal.timeout(timeout) });
      } catch (error) {
        return resolve(failed(error as NodeJS.ErrnoException)); // a URL Node will not send to
      }
      call.on('response', (response) => {
        response.destroy(); // the status is the answer: the body is never read, the socket freed
        const status = response.statusCode ?? 0;
        const passed = status === 200;
        resolve({
          status_code: status,
          latency_ms: elapsed(),
          error: passed ? null : `HTTP ${status}`,
          passed,
        });
      });
      call.on('error', (error: NodeJS.ErrnoException) => resolve(failed(error)));
      call.end();
    });
  }
}
