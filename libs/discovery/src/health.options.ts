/** One store an app depends on: its name (as shown in errors) and a cheap round trip to it. */
export interface StoreProbe {
  name: string;
  ping(): Promise<unknown>;
}

/** Options of the health module: the app's stores. */
export interface HealthOptions {
  probes: StoreProbe[];
}

/** Injection token of {@link HealthOptions}. */
export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
