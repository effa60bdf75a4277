import type { ServerEnv } from '@app/config';

/** How an app registers itself: its service name and the server settings it listens with. */
export interface DiscoveryOptions {
  service: string;
  env: ServerEnv;
  /** The path the registry probes; every Chirp app serves it. */
  healthPath?: string;
  /** Tags to register with (Consul's); default: the service's name. */
  tags?: string[];
  /** Metadata to register with, beside `version` (package.json's), which it may override. */
  meta?: Record<string, string>;
  /**
   * Registers with a TTL check of this many milliseconds (1 000 to 3 600 000) instead of an HTTP one:
   * the registry never probes this instance, which renews the TTL itself, three times a TTL.
   */
  ttlMs?: number;
}

/** Injection token of {@link DiscoveryOptions}. */
export const DISCOVERY_OPTIONS = Symbol('DISCOVERY_OPTIONS');
