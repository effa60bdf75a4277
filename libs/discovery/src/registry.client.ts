import { Inject, Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { advertiseUrl } from '@app/config';
import { APP_VERSION } from './app-version';
import { DISCOVERY_OPTIONS, type DiscoveryOptions } from './discovery.options';

/** What the registry answers about an instance. */
export interface RegisteredInstance {
  id: string;
  service_name: string;
  url: string;
}

/** Deregistration waits for HAProxy to drain this instance, so it may take this long. */
const DEREGISTER_TIMEOUT_MS = 12_000;
const REQUEST_TIMEOUT_MS = 3_000;

/** The registry's HTTP API as one instance uses it: register, look itself up, deregister. */
@Injectable()
export class RegistryClient {
  private readonly http: AxiosInstance;
  readonly url: string;

  constructor(@Inject(DISCOVERY_OPTIONS) private readonly options: DiscoveryOptions) {
    const { env } = options;
    this.url = advertiseUrl(env);
    this.http = axios.create({
      baseURL: env.REGISTRY_URL,
      timeout: REQUEST_TIMEOUT_MS,
      maxRedirects: 0,
      headers: env.REGISTRY_TOKEN ? { authorization: `Bearer ${env.REGISTRY_TOKEN}` } : {},
    });
  }

  /**
   * Registers this instance, once its own health check passes: HAProxy sends traffic the moment
   * it is registered, so an instance whose store is not connected yet must not register.
   */
  async register(): Promise<RegisteredInstance> {
    await axios.get(this.url + this.healthPath, {
      timeout: REQUEST_TIMEOUT_MS,
      maxRedirects: 0,
      proxy: false,
    });
    const { data } = await this.http.post<RegisteredInstance>('/services', {
      service_name: this.options.service,
      url: this.url,
      http: 'GET',
      health_path: this.healthPath,
      tags: this.options.tags ?? [this.options.service],
      meta: { version: APP_VERSION, ...this.options.meta },
      ...(this.options.ttlMs !== undefined && { check: { type: 'ttl', ttl: `${this.options.ttlMs}ms` } }),
    });
    return data;
  }

  /** The TTL check's period, when this instance registers with one. */
  get ttlMs(): number | undefined {
    return this.options.ttlMs;
  }

  /** Renews this instance's TTL (a passing report); false when the registry forgot the instance. */
  async renew(id: string): Promise<boolean> {
    const response = await this.http.put(
      `${this.instancePath(id)}/ttl`,
      { status: 'passing', output: 'renewed by libs/discovery' },
      { validateStatus: (s) => s === 200 || s === 404 },
    );
    return response.status === 200;
  }

  /** True when the registry still has this instance, false when it forgot it (pruned or restarted empty). */
  async isRegistered(id: string): Promise<boolean> {
    const response = await this.http.get(this.instancePath(id), {
      validateStatus: (s) => s === 200 || s === 404,
    });
    return response.status === 200;
  }

  async deregister(id: string): Promise<void> {
    await this.http.delete(this.instancePath(id), {
      timeout: DEREGISTER_TIMEOUT_MS,
      validateStatus: (s) => s === 200 || s === 204 || s === 404,
    });
  }

  private get healthPath(): string {
    return this.options.healthPath ?? '/health-check';
  }

  private instancePath(id: string): string {
    return `/services/${encodeURIComponent(this.options.service)}/instances/${encodeURIComponent(id)}`;
  }
}
