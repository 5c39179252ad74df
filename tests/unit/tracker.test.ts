import type { TrackEvent } from '../../shared/contracts/tracking';
import { TrackEvent as TrackEventSchema } from '../../shared/contracts/tracking';
import { createTracker, uuidFrom, type TrackerDeps, type TrackerOptions } from '../../miniprogram/src/tracking/tracker';

/** A phone for the tracker: storage that outlives the tracker, a clock and timers the test moves, and a BFF it scripts. */
function fakePhone() {
  const storage: { queue: TrackEvent[] | null } = { queue: null };
  let now = Date.parse('2026-12-02T08:00:00+08:00');
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const sent: TrackEvent[][] = [];
  const delays: number[] = [];
  let answer: () => Promise<void> = async () => undefined;
  const deps: TrackerDeps = {
    load: () => (storage.queue ? [...storage.queue] : null),
    save: (q) => {
      storage.queue = [...q];
    },
    now: () => now,
    newId: () => uuidFrom(Math.random),
    random: () => 0.5,
    setTimer(fn, ms) {
      delays.push(ms);
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer(handle) {
      timers = timers.filter((t) => t.id !== handle);
    },
    async send(events) {
      sent.push(events);
      await answer();
      return { accepted: events.length, duplicates: 0, rejected: [] };
    },
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    deps,
    storage,
    sent,
    delays,
    failWith(status: number | null) {
      answer = status === null ? async () => undefined : async () => Promise.reject({ status });
    },
    /** Moves the clock, running each timer that falls due, in order. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
        await settle();
      }
      now = until;
      await settle();
    },
    settle,
  };
}

const options: TrackerOptions = { batchSize: 3, flushMs: 5000, maxQueue: 10, backoffMs: 1000, maxBackoffMs: 8000 };
const view = { page: 'pages/index/index' };

describe('the mini-program tracker', () => {
  test('batches by count and by time; every event matches the ingest schema', async () => {
    const phone = fakePhone();
    const tracker = createTracker(phone.deps, options);
    for (let i = 0; i < 3; i++) tracker.track('page_view', view);
    await phone.settle();
    expect(phone.sent.map((b) => b.length)).toEqual([3]);
    tracker.track('click', { page: 'pages/mall/index', itemId: 'item-1', props: { position: 1 } });
    await phone.advance(4999);
    expect(phone.sent).toHaveLength(1);
    await phone.advance(1);
    expect(phone.sent.map((b) => b.length)).toEqual([3, 1]);
    for (const e of phone.sent.flat()) expect(TrackEventSchema.safeParse(e).success).toBe(true);
    expect(new Set(phone.sent.flat().map((e) => e.id)).size).toBe(4);
    expect(tracker.pending()).toBe(0);
  });

  test('offline: events wait in storage across a restart, retries back off with jitter, and the same events (same ids) go once online', async () => {
    const phone = fakePhone();
    phone.failWith(0);
    const first = createTracker(phone.deps, options);
    first.track('page_view', view);
    first.track('share', view);
    await phone.advance(5000); // the first try fails
    await phone.advance(60_000); // and so do the retries
    const tries = phone.sent.length;
    expect(tries).toBeGreaterThan(2);
    // Each delay doubles (with jitter of half, random 0.5 → 3/4 of it), up to the cap.
    expect(phone.delays.slice(1, 6)).toEqual([750, 1500, 3000, 6000, 6000]);
    const waiting = phone.storage.queue!.map((e) => e.id);
    expect(waiting).toHaveLength(2);

    // The app is killed and opened again, still offline, then the network comes back.
    const second = createTracker(phone.deps, options);
    expect(second.pending()).toBe(2);
    phone.failWith(null);
    await second.flush();
    expect(phone.sent[phone.sent.length - 1].map((e) => e.id)).toEqual(waiting);
    expect(phone.storage.queue).toEqual([]);
  });

  test('a batch the BFF refuses outright is dropped, not retried; sampling and the queue cap hold', async () => {
    const phone = fakePhone();
    const tracker = createTracker(phone.deps, { ...options, batchSize: 100 });
    phone.failWith(400);
    tracker.track('page_view', view);
    await tracker.flush();
    expect(tracker.pending()).toBe(0);
    phone.failWith(null);

    tracker.setSampling({ impression: 0 });
    tracker.track('impression', view);
    expect(tracker.pending()).toBe(0);

    for (let i = 0; i < 15; i++) tracker.track('page_view', { page: `pages/p${i}` });
    expect(tracker.pending()).toBe(10);
    expect(phone.storage.queue![0].page).toBe('pages/p5'); // the oldest went first
    await tracker.flush(); // the app hides: what waits goes now
    expect(phone.sent[phone.sent.length - 1]).toHaveLength(10);
  });
});
