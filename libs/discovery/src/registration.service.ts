import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { backOff } from 'exponential-backoff';
import { RegistryClient } from './registry.client';

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
      this.logger.warn(`could not deregister ${this.id}: ${String(error)}`);
    }
  }

  private registerUntilAccepted(): Promise<void> {
    this.registering ??= backOff(() => this.client.register(), {
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      startingDelay: 100,
      maxDelay: 5_000,
      jitter: 'full',
      retry: (error, attempt) => {
        if (this.stopping) return false;
        // Right after listen the instance's own stores are often still connecting, so the first
        // attempts failing is normal; say so once it lasts (the registry may be down, or a store).
        if (attempt === 3 || attempt % 10 === 0) {
          this.logger.warn(`${this.client.url} not registered yet (attempt ${attempt}): ${String(error)}`);
        }
        return true;
      },
    })
      .then((instance) => {
        this.id = instance.id;
        this.logger.log(`registered ${instance.service_name} ${instance.url} as ${instance.id}`);
      })
      .catch((error) => {
        if (!this.stopping) this.logger.error(`registration abandoned: ${String(error)}`);
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
      this.logger.warn(`registry heartbeat failed: ${String(error)}`);
    }
  }
}
