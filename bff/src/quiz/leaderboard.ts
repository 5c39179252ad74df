import type { Leaderboard } from '@shared/contracts/quiz-bank';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { bankWeek } from '@/platform/time';

/** A result as it ranks: more right answers first, then fewer whole seconds. */
type Result = { score: number; seconds: number };
type Best = Result & { attemptId: string; name: string; at: string };
/** One customer's improvement of their week's best, in the order they improved. */
type BoardEntry = Best & { customerId: string; previous: Result | null };
type TopRow = Best & { customerId: string };

/** The board folded up to `seq`: how many participants hold each result, and the best rows. */
type Snapshot = { _id: string; seq: number; participants: number; counts: Record<string, number>; top: TopRow[]; lastAt: Date | null };

const TOP = 50;
/** Entries one read folds at most; a busier board catches up over the next reads. */
const FOLD_LIMIT = 500;

const bucket = (r: Result) => `${r.score}:${r.seconds}`;
const better = (a: Result, b: Result) => a.score > b.score || (a.score === b.score && a.seconds < b.seconds);
const byRank = (a: TopRow, b: TopRow) => b.score - a.score || a.seconds - b.seconds || a.at.localeCompare(b.at);

/**
 * The weekly leaderboard of a quiz (答题排行榜), costing a few `_id` reads however many take part.
 *
 * Each customer's week best is a stream of their own, so improving it is decided in order even for
 * two submissions at once. Each improvement is then appended, keyed by its attempt, to the board's
 * stream with the result it replaces, and a stored snapshot folds that stream: a count per result
 * (score and whole seconds) and the top rows. A rank is then 1 + the participants holding a better
 * result, summed from the counts. Results only improve, so a row leaving the top never has to come
 * back from outside it. The snapshot is derived: two processes folding at once write the same
 * state or an earlier one, and the next read folds on from there.
 */
export function createLeaderboard(db: Database, clock: Clock, faults: Faults) {
  const bests = createStreamStore<Best>(db, 'quiz_week_bests', clock);
  const boards = createStreamStore<BoardEntry>(db, 'quiz_boards', clock);
  const snapshots = () => db.collection<Snapshot>('quiz_board_snapshots');
  const boardOf = (activityId: string, week: string) => `board:${activityId}:${week}`;
  const bestOf = (board: string, customerId: string) => `${board}:${customerId}`;

  /**
   * Puts the customer's bests on the board up to `head`, in order: normally just `head`, but a
   * crash between the two appends leaves an earlier one missing, and its successor's `previous`
   * must not be counted before it is.
   */
  async function publish(board: string, customerId: string, head: StreamEntry<Best>) {
    const stream = bestOf(board, customerId);
    const missing: StreamEntry<Best>[] = [];
    let entry: StreamEntry<Best> | null = head;
    let published: Best | null = null;
    while (entry) {
      if (await boards.findByKey(board, entry.data.attemptId)) {
        published = entry.data;
        break;
      }
      missing.unshift(entry);
      entry = entry.seq > 1 ? ((await bests.list(stream, { beforeSeq: entry.seq, limit: 1 }))[0] ?? null) : null;
    }
    let previous: Result | null = published && { score: published.score, seconds: published.seconds };
    for (const { data } of missing) {
      const replaced = previous;
      await boards.append(board, () => ({ ...data, customerId, previous: replaced }), { key: data.attemptId });
      previous = { score: data.score, seconds: data.seconds };
    }
  }

  /** The snapshot folded on from where it was stored, and whether it now holds every entry. */
  async function fold(board: string): Promise<{ snapshot: Snapshot; complete: boolean }> {
    const stored = await snapshots().findOne({ _id: board });
    const snapshot: Snapshot = stored ?? { _id: board, seq: 0, participants: 0, counts: {}, top: [], lastAt: null };
    const head = (await boards.head(board))?.seq ?? 0;
    if (head === snapshot.seq) return { snapshot, complete: true };
    const upTo = Math.min(head, snapshot.seq + FOLD_LIMIT);
    const entries = (await boards.list(board, { beforeSeq: upTo + 1, limit: upTo - snapshot.seq })).reverse();
    for (const { data } of entries) {
      if (data.previous) snapshot.counts[bucket(data.previous)] = (snapshot.counts[bucket(data.previous)] ?? 0) - 1;
      else snapshot.participants += 1;
      snapshot.counts[bucket(data)] = (snapshot.counts[bucket(data)] ?? 0) + 1;
      const row: TopRow = { score: data.score, seconds: data.seconds, attemptId: data.attemptId, name: data.name, at: data.at, customerId: data.customerId };
      snapshot.top = [...snapshot.top.filter((r) => r.customerId !== data.customerId), row].sort(byRank).slice(0, TOP);
    }
    for (const key of Object.keys(snapshot.counts)) if (snapshot.counts[key] === 0) delete snapshot.counts[key];
    const next = { ...snapshot, seq: upTo, lastAt: entries.at(-1)?.at ?? snapshot.lastAt };
    if (!stored) await insertOnce(snapshots(), next);
    else await snapshots().replaceOne({ _id: board }, next);
    return { snapshot: next, complete: upTo === head };
  }

  function rankIn(snapshot: Snapshot, result: Result): number {
    let ahead = 0;
    for (const [key, n] of Object.entries(snapshot.counts)) {
      const [score, seconds] = key.split(':').map(Number);
      if (better({ score, seconds }, result)) ahead += n;
    }
    return ahead + 1;
  }

  return {
    /** Records a graded attempt's result for this week's board, if it beats the customer's week best. */
    async record(activityId: string, customerId: string, attempt: { attemptId: string; score: number; seconds: number; at: Date; name: string }) {
      const board = boardOf(activityId, bankWeek(attempt.at).id);
      const best: Best = { attemptId: attempt.attemptId, score: attempt.score, seconds: attempt.seconds, name: attempt.name, at: attempt.at.toISOString() };
      const NOT_BETTER = Symbol('not better');
      try {
        const { entry } = await bests.append(
          bestOf(board, customerId),
          (head) => {
            if (head && !better(best, head.data)) throw NOT_BETTER;
            return best;
          },
          { key: `${board}:${attempt.attemptId}` },
        );
        faults.hit('after:quiz.best');
        await publish(board, customerId, entry);
      } catch (err) {
        if (err !== NOT_BETTER) throw err;
      }
    },

    async read(activityId: string, customerId: string, total: number, week: 'current' | 'previous'): Promise<Leaderboard> {
      const { id, start, end } = bankWeek(clock.now(), week === 'current' ? 0 : -1);
      const board = boardOf(activityId, id);
      const mine = await bests.head(bestOf(board, customerId));
      if (mine) await publish(board, customerId, mine);
      const now = clock.now();
      const { snapshot, complete } = await fold(board);
      const row = (r: Best, me: boolean) => ({ rank: rankIn(snapshot, r), name: r.name, score: r.score, durationSeconds: r.seconds, me });
      return {
        activityId,
        week: id,
        weekStart: start.toISOString(),
        weekEnd: end.toISOString(),
        total,
        participants: snapshot.participants,
        top: snapshot.top.map((r) => row(r, r.customerId === customerId)),
        me: mine ? row(mine.data, true) : null,
        updatedAt: (complete ? now : (snapshot.lastAt ?? start)).toISOString(),
      };
    },

    ensureIndexes: async () => {
      await bests.ensureIndexes();
      await boards.ensureIndexes();
    },
  };
}

export type QuizLeaderboard = ReturnType<typeof createLeaderboard>;
