import type { ServerEnv } from '@app/config';

/** How an app registers itself: its service name and the server settings it listens with. */
export interface DiscoveryOptions {
  service: string;
  env: ServerEnv;
  /** The path the registry probes; every Chirp app serves it. */
  healthPath?: string;
}

/** Injection token of {@link DiscoveryOptions}. */
export const DISCOVERY_OPTIONS = Symbol('DISCOVERY_OPTIONS');
