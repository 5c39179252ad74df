import type { RouteSpec } from './http/routes';

/** A named piece of periodic work; it tells what it did (a count, or counts). */
export type Job = () => Promise<unknown>;

/**
 * What a capability hands to the app, from its folder's one entry: its routes, its periodic
 * work for the maintenance runner, its collections and indexes, and its demo data. The app
 * lists modules; nothing in the platform knows which capabilities exist.
 */
export type CapabilityModule = {
  name: string;
  routes?: RouteSpec[];
  /** Run every maintenance interval (ten minutes by default). */
  jobs?: Record<string, Job>;
  /** Run every sweep interval (a minute): recovery that should follow its lease closely. */
  sweeps?: Record<string, Job>;
  /** Creates its collections and indexes; idempotent, run at start-up before serving. */
  ensureIndexes?: () => Promise<void>;
  /** Idempotent demo data for `npm start`, run in module order; never in production. */
  seedDemo?: () => Promise<void>;
};

/** Each module's jobs under `<module>.<job>`, so two capabilities can both have a `recover`. */
export function jobsOf(modules: CapabilityModule[], kind: 'jobs' | 'sweeps'): Record<string, Job> {
  return Object.fromEntries(modules.flatMap((m) => Object.entries(m[kind] ?? {}).map(([name, job]) => [`${m.name}.${name}`, job])));
}
