import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import axios, { isAxiosError } from 'axios';
import { backOff } from 'exponential-backoff';
import { RegistryClient } from './registry.client';

/**
 * How long registration may fail before it is worth a warning: under `npm start` every instance boots
 * beside the registry and HAProxy, and its first attempts meet a registry not up yet (a 503) or its
 * own stores still connecting. That is the normal start, not news.
 */
const QUIET_START_MS = 5_000;

/**
 * Keeps this instance registered: registers once the server listens (retrying with backoff and
 * jitter, so start order does not matter), re-registers when the registry forgets it, and
 * deregisters before the server closes so HAProxy drains it first. With a TTL check, the heartbeat
 * renews the TTL (at least three times a TTL), which tells the same thing: a 404 means forgotten.
 */
@Injectable()
export class RegistrationService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RegistrationService.name);
  private id?: string;
  private stopping = false;
  private heartbeat?: NodeJS.Timeout;
  private registering?: Promise<void>;

  constructor(
    private readonly client: RegistryClient,
    private readonly heartbeatMs: number,
    private readonly quietStartMs = QUIET_START_MS,
  ) {}

  /** Registers (in the background, until accepted) and starts checking the registry still knows us. */
  start(): void {
    void this.registerUntilAccepted();
    const ttl = this.client.ttlMs;
    const every = ttl === undefined ? this.heartbeatMs : Math.min(this.heartbeatMs, Math.floor(ttl / 3));
    this.heartbeat = setInterval(() => void this.checkStillRegistered(), every);
  }

  /** The id the registry gave this instance, once registered. */
  get instanceId(): string | undefined {
    return this.id;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    await this.registering;
    if (!this.id) return;
    try {
      await this.client.deregister(this.id);
      this.logger.log(`deregistered ${this.id}`);
    } catch (error) {
      this.logger.warn(`could not deregister ${this.id}: ${failure(error)}`);
    }
  }

  private registerUntilAccepted(): Promise<void> {
    if (this.registering) return this.registering;
    const since = Date.now();
    let warned = 0; // the attempt of the last warning
    this.registering = backOff(() => this.client.register(), {
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      startingDelay: 100,
      maxDelay: 5_000,
      jitter: 'full',
      retry: (error, attempt) => {
        if (this.stopping) return false;
        const waited = Date.now() - since;
        // Once failing has lasted, then every ten attempts (about every 50 s at the longest delay).
        if (waited >= this.quietStartMs && (warned === 0 || attempt - warned >= 10)) {
          warned = attempt;
          this.logger.warn(
            `${this.client.url} not registered after ${(waited / 1000).toFixed(1)} s (attempt ${attempt}): ${failure(error)}`,
          );
        }
        return true;
      },
    })
      .then((instance) => {
        this.id = instance.id;
        this.logger.log(`registered ${instance.service_name} ${instance.url} as ${instance.id}`);
      })
      .catch((error) => {
        if (!this.stopping) this.logger.error(`registration abandoned: ${failure(error)}`);
      })
      .finally(() => (this.registering = undefined));
    return this.registering;
  }

  private async checkStillRegistered(): Promise<void> {
    if (this.stopping || this.registering || !this.id) return;
    try {
      const known =
        this.client.ttlMs === undefined
          ? await this.client.isRegistered(this.id)
          : await this.client.renew(this.id);
      if (known) return;
      this.logger.warn(`registry forgot ${this.id}; registering again`);
      await this.registerUntilAccepted();
    } catch (error) {
      this.logger.warn(`registry heartbeat failed: ${failure(error)}`);
    }
  }
}

/** What failed, for a log line: the request and its answer or error code when it was an HTTP call. */
function failure(error: unknown): string {
  if (!isAxiosError(error)) return String(error);
  const { config, response, code, message } = error;
  const target = config ? `${config.method?.toUpperCase() ?? 'GET'} ${axios.getUri(config)}` : 'a request';
  return response ? `${target} answered ${response.status}` : `${target}: ${code ?? message}`;
}
