import type { TrackEvent, TrackEventType, TrackResult } from '@shared/contracts/tracking';

/** What the tracker needs from its platform: storage that survives restarts, a clock, timers, and the BFF. */
export type TrackerDeps = {
  load(): TrackEvent[] | null;
  save(queue: TrackEvent[]): void;
  now(): number;
  /** A fresh event id (a v4 uuid: see `uuidFrom`). */
  newId(): string;
  /** For jitter and sampling. */
  random(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Sends one batch; throws `{ status }` (0 when offline) on failure. */
  send(events: TrackEvent[]): Promise<TrackResult>;
};

export type TrackerOptions = {
  /** Sent as soon as this many are waiting. */
  batchSize: number;
  /** Otherwise sent this long after the first one waiting. */
  flushMs: number;
  /** The most kept while offline; the oldest go first past it. */
  maxQueue: number;
  /** First retry delay; doubled on each failure, with jitter, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
};

export const DEFAULT_OPTIONS: TrackerOptions = { batchSize: 20, flushMs: 5000, maxQueue: 1000, backoffMs: 2000, maxBackoffMs: 5 * 60 * 1000 };

/** A v4 uuid from the platform's random numbers (weapp has no crypto.randomUUID). */
export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Failures worth trying again: offline, throttled, or the BFF's own trouble. Anything else never will pass. */
const retriable = (err: unknown) => {
  const status = (err as { status?: number })?.status ?? 0;
  return status === 0 || status === 429 || status >= 500;
};

/**
 * Whether events may be kept and sent (PIPL: nothing is recorded about a customer before they agree):
 * - `on`: kept in storage and sent in batches;
 * - `held`: consent not given yet: kept in memory only, never written to storage nor sent;
 * - `off`: the customer chose 不同意 (or asked for deletion): nothing is kept.
 */
export type TrackerMode = 'on' | 'held' | 'off';

/**
 * 埋点: events wait in a queue kept in storage (so a restart or an offline hour loses none),
 * leave in batches by count or time, and are retried with growing, jittered delays when the BFF
 * cannot be reached. An event refused by the BFF (malformed) is dropped: it would never pass.
 * Each event's id is made once, so a batch resent after a lost answer is kept once.
 * Started `held`, it keeps events in memory until `setMode('on')` (consent), and drops them on `off`.
 */
export function createTracker(deps: TrackerDeps, options: TrackerOptions = DEFAULT_OPTIONS, initialMode: TrackerMode = 'on') {
  let mode: TrackerMode = initialMode;
  // Held: the stored queue (sent with an earlier consent) stays in storage until consent is known.
  let queue: TrackEvent[] = mode === 'on' ? (deps.load() ?? []) : [];
  let sampling: Partial<Record<TrackEventType, number>> = {};
  let timer: unknown = null;
  let sending = false;
  let failures = 0;

  function schedule(ms: number) {
    if (timer !== null) return;
    timer = deps.setTimer(() => {
      timer = null;
      void flush();
    }, ms);
  }

  async function flush(): Promise<void> {
    if (mode !== 'on' || sending || queue.length === 0) return;
    if (timer !== null) {
      deps.clearTimer(timer);
      timer = null;
    }
    sending = true;
    const batch = queue.slice(0, options.batchSize);
    try {
      await deps.send(batch);
      failures = 0;
      drop(batch);
    } catch (err) {
      if (!retriable(err)) drop(batch);
      else {
        failures += 1;
        const delay = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (failures - 1));
        sending = false;
        schedule(delay / 2 + deps.random() * (delay / 2));
        return;
      }
    }
    sending = false;
    if (queue.length >= options.batchSize) void flush();
    else if (queue.length) schedule(options.flushMs);
  }

  function drop(batch: TrackEvent[]) {
    const sent = new Set(batch.map((e) => e.id));
    queue = queue.filter((e) => !sent.has(e.id));
    if (mode === 'on') deps.save(queue);
  }

  function stopTimer() {
    if (timer === null) return;
    deps.clearTimer(timer);
    timer = null;
  }

  return {
    /** Records one event; it leaves with the next batch. Sampled out by the remote config, it is not recorded at all. */
    track(type: TrackEventType, fields: { page: string; activityId?: string; itemId?: string; props?: TrackEvent['props'] }) {
      if (mode === 'off') return;
      const rate = sampling[type] ?? 1;
      if (rate < 1 && deps.random() >= rate) return;
      queue.push({ id: deps.newId(), type, clientTime: new Date(deps.now()).toISOString(), ...fields });
      if (queue.length > options.maxQueue) queue = queue.slice(queue.length - options.maxQueue);
      if (mode === 'held') return;
      deps.save(queue);
      if (queue.length >= options.batchSize && failures === 0) void flush();
      else schedule(failures ? options.backoffMs : options.flushMs);
    },
    /** Sends what is waiting now (the app is hiding). */
    flush,
    /** Sampling rates per event type (0–1), as the remote config gives them. */
    setSampling(rates: Partial<Record<TrackEventType, number>>) {
      sampling = rates;
    },
    pending: () => queue.length,
    mode: () => mode,
    /**
     * On consent (`on`): what was held joins the stored queue and leaves as usual. Without it
     * (`held`): nothing more is written or sent. On 不同意 (`off`): what was held is dropped.
     */
    setMode(next: TrackerMode) {
      if (next === mode) return;
      mode = next;
      if (next === 'on') {
        const stored = deps.load() ?? [];
        const ids = new Set(stored.map((e) => e.id));
        queue = [...stored, ...queue.filter((e) => !ids.has(e.id))].slice(-options.maxQueue);
        deps.save(queue);
        failures = 0;
        if (queue.length >= options.batchSize) void flush();
        else if (queue.length) schedule(options.flushMs);
        return;
      }
      stopTimer();
      // 不同意: what was kept in memory is forgotten (a queue stored under an earlier consent stays in storage).
      if (next === 'off') queue = [];
    },
  };
}
