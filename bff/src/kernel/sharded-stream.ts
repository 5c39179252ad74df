import type { StreamEntry, StreamStore } from '@/platform/stream';
import { hash32 } from './ids';

/**
 * One thing's running count split over sub-streams (`<prefix>:<id>`, then `<prefix>:<id>~k`),
 * so that appends to a hot thing (a mall item's stock, an activity's budget) do not all race
 * for one stream's next position. Each sub-stream is an ordinary stream of `store`: its
 * positions are won by unique-key inserts, so each holds its share exactly; entry keys are
 * unique across the collection, so one request appends once, in one of them.
 *
 * How many sub-streams a thing has is fixed by its owner before the first append (the first
 * stock entry, a budget plan: inserts, first one wins) and never changes, so it is remembered;
 * until it is fixed, the thing is one stream.
 */
export function createShardedStreams<T>(
  store: StreamStore<T>,
  options: {
    prefix: string;
    /** How many sub-streams the thing has, as its owner stored it; null while none is stored. */
    storedCount(id: string): Promise<number | null>;
  },
) {
  const counts = new Map<string, number>();
  const streamOf = (id: string, k = 0) => (k === 0 ? `${options.prefix}:${id}` : `${options.prefix}:${id}~${k}`);

  /** The thing's sub-streams; `fix`, if given, stores their count first when none is stored yet. */
  async function streamsOf(id: string, fix?: () => Promise<void>): Promise<string[]> {
    let count = counts.get(id) ?? (await options.storedCount(id));
    if (count === null && fix) {
      await fix();
      count = await options.storedCount(id);
    }
    if (count !== null) counts.set(id, count);
    return Array.from({ length: count ?? 1 }, (_, k) => streamOf(id, k));
  }

  return {
    streamOf,
    streamsOf,

    /** The heads of the thing's sub-streams, in order. */
    heads: async (id: string) => Promise.all((await streamsOf(id)).map((s) => store.head(s))),

    /**
     * The entry with this key in any of these sub-streams. One whose key index a crash left
     * unwritten is found too: reading a stream's head indexes what lies past its hint.
     */
    async locate(streams: string[], key: string): Promise<StreamEntry<T> | null> {
      const found = await store.locate(key);
      if (found) return found;
      for (const stream of streams) await store.head(stream);
      return store.locate(key);
    },

    /**
     * Appends with `append` to the sub-stream that `by` hashes to and, when that one refuses
     * (`refused(err)`: sold out, budget spent), to the others in turn: a refusal is answered only
     * after every one refused. Each try is its stream's own exact append.
     */
    async spread<R>(streams: string[], by: string, append: (stream: string, k: number) => Promise<R>, refused: (err: unknown) => boolean): Promise<R> {
      const start = hash32(by) % streams.length;
      for (let i = 0; ; i++) {
        const k = (start + i) % streams.length;
        try {
          return await append(streams[k], k);
        } catch (err) {
          if (!refused(err) || i === streams.length - 1) throw err;
        }
      }
    },
  };
}
