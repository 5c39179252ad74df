import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import type { Database } from './db';
import { insertOnce } from './keyed';
import { replaceById } from './upsert';
import type { StreamEntry, StreamStore } from './stream';

/**
 * What one entry must satisfy, given the entry before it in its stream: the problems found
 * (none: an empty list), or `unsettled` when it is not finished yet (a reward still in flight):
 * a check of the whole stream reports that as it stands, the incremental check waits for it.
 */
type Verdict = string[] | { unsettled: string };
type EntryRule<T> = (entry: StreamEntry<T>, previous: StreamEntry<T> | null) => Promise<Verdict> | Verdict;

type AuditPass = { streams: number; upToDate: boolean };

/** How many changed streams one pass takes, and how many passes one catch-up runs at most. */
const PASS_SIZE = 500;
const MAX_PASSES = 200;

/**
 * The invariant check of an audited stream collection, whole or incremental.
 *
 * Each entry carries the running state, so an entry is right if it follows from the one before
 * it. The whole check of one stream walks it from its start. The incremental check walks only
 * the streams marked changed since their last check, each from its checkpoint (the last entry
 * found settled), and stores what it finds: checking a whole bank every day costs what changed
 * that day, not every account ever opened. Findings are about immutable entries, so they stay.
 */
export function createStreamAudit<T>(db: Database, collectionName: string, store: StreamStore<T>, clock: Clock, rule: EntryRule<T>) {
  const checkpoints = () => db.collection<{ _id: string; entry: StreamEntry<T> }>(`${collectionName}_checked`);
  const findings = () => db.collection<{ _id: string; stream: string; problem: string; at: Date }>(`${collectionName}_findings`);

  /** Walks a stream after `from`; an incremental walk stops before the first unsettled entry. */
  async function walk(stream: string, from: StreamEntry<T> | null, incremental: boolean) {
    const problems: string[] = [];
    let previous = from;
    for (const entry of await store.readAfter(stream, from?.seq ?? 0)) {
      const expected = (previous?.seq ?? 0) + 1;
      if (entry.seq !== expected) problems.push(`${stream}: sequence gap at ${expected} (found ${entry.seq})`);
      const verdict = await rule(entry, previous);
      if (!Array.isArray(verdict) && incremental) return { problems, last: previous, unsettled: true };
      problems.push(...(Array.isArray(verdict) ? verdict : [verdict.unsettled]).map((p) => `${stream}#${entry.seq}: ${p}`));
      previous = entry;
    }
    return { problems, last: previous, unsettled: false };
  }

  /** Checks the streams changed since their last check, up to one pass's worth. */
  async function pass(): Promise<AuditPass> {
    const streams = await store.changed(PASS_SIZE);
    for (const stream of streams) {
      await store.clearChanged(stream);
      const checkpoint = (await checkpoints().findOne({ _id: stream }))?.entry ?? null;
      const { problems, last, unsettled } = await walk(stream, checkpoint, true);
      for (const problem of problems) {
        const _id = `${stream}|${createHash('sha256').update(problem).digest('hex').slice(0, 16)}`;
        await insertOnce(findings(), { _id, stream, problem, at: clock.now() });
      }
      // Two processes may write a stream's first checkpoint at once: an upsert of a new _id then fails E11000 on FerretDB.
      if (last && last.seq !== checkpoint?.seq) await replaceById(checkpoints(), stream, { entry: last });
      // Looked at again by a later pass, once the entry has settled.
      if (unsettled) await store.markChanged(stream);
    }
    return { streams: streams.length, upToDate: streams.length < PASS_SIZE };
  }

  return {
    /** Every entry of one stream, from its start; nothing is stored. */
    check: async (stream: string): Promise<string[]> => (await walk(stream, null, false)).problems,
    pass,
    /** Passes until no changed stream is left (bounded: unsettled streams come back): the background job. */
    async catchUp(): Promise<number> {
      let streams = 0;
      for (let i = 0; i < MAX_PASSES; i++) {
        const done = await pass();
        streams += done.streams;
        if (done.upToDate) break;
      }
      return streams;
    },
    /** What incremental checks have found, oldest first (a scan of the findings: normally none). */
    async findings(limit: number): Promise<string[]> {
      return (await findings().find({}).sort({ at: 1 }).limit(limit).toArray()).map((f) => f.problem);
    },
  };
}
