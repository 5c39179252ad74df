import type { RouteSpec } from './http/routes';
import type { Logger } from './logger';

/** A named piece of periodic work; it tells what it did (a count, or counts). */
export type Job = () => Promise<unknown>;

/**
 * Work that follows its queue closely (delivery to the bank): each process runs it in a loop,
 * a round at once again while the round says there is more, otherwise after `intervalMs`.
 */
type Worker = { intervalMs: number; round: () => Promise<{ more: boolean }> };

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
  /** Run continuously beside maintenance, by every process (see `startWorkers`). */
  workers?: Record<string, Worker>;
  /** Creates its collections and indexes; idempotent, run at start-up before serving. */
  ensureIndexes?: () => Promise<void>;
  /**
   * Idempotent demo data for `npm start`, run in module order; never in production. The data
   * lives in bff/demo/, which a module loads here with `import()` so that production code never
   * imports it (lint forbids a static import).
   */
  seedDemo?: () => Promise<void>;
};

/** Each module's jobs under `<module>.<job>`, so two capabilities can both have a `recover`. */
export function jobsOf(modules: CapabilityModule[], kind: 'jobs' | 'sweeps'): Record<string, Job> {
  return namedByModule(modules, kind);
}

function namedByModule<K extends 'jobs' | 'sweeps' | 'workers'>(modules: CapabilityModule[], kind: K): Record<string, NonNullable<CapabilityModule[K]>[string]> {
  type Item = NonNullable<CapabilityModule[K]>[string];
  return Object.fromEntries(modules.flatMap((m) => Object.entries<Item>((m[kind] ?? {}) as Record<string, Item>).map(([name, item]) => [`${m.name}.${name}`, item])));
}

/** Starts every module's workers; the returned function stops them, each after its round in progress. */
export function startWorkers(modules: CapabilityModule[], logger: Logger): () => Promise<void> {
  const stops = Object.entries(namedByModule(modules, 'workers')).map(([name, worker]) => {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    const tick = () => {
      running = worker.round().then(
        ({ more }) => {
          if (!stopped) timer = setTimeout(tick, more ? 0 : worker.intervalMs);
        },
        (err: unknown) => {
          logger.warn({ worker: name, err: err instanceof Error ? err.message : String(err) }, 'worker round failed');
          if (!stopped) timer = setTimeout(tick, worker.intervalMs);
        },
      );
    };
    timer = setTimeout(tick, worker.intervalMs);
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    };
  });
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
