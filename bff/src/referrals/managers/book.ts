import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { createStreamStore } from '@/platform/stream';

/** How a customer came to their manager. */
type ManagerVia = 'attribution' | 'handover';
type ManagerData = { rmId: string; via: ManagerVia; ref: string };
type BookData = { customerId: string; op: 'in' | 'out'; via: ManagerVia; ref: string };

/** Refused: the customer is not (or no longer) this manager's. */
export class NotTheirs extends Error {}

/**
 * Which relationship manager (客户经理) looks after each customer. Per customer, a stream whose
 * head is the current manager: attribution appends the first entry, a hand-over appends the
 * next only while the head is still the leaving manager, so two hand-overs of one customer at
 * once cannot both take them. Per manager, a book of customers in and out, which a list reads
 * newest first and checks against each customer's head.
 */
export function createManagers(db: Database, clock: Clock) {
  const managers = createStreamStore<ManagerData>(db, 'customer_managers', clock);
  const books = createStreamStore<BookData>(db, 'rm_books', clock);
  const streamOf = (customerId: string) => `manager:${customerId}`;
  const bookOf = (rmId: string) => `book:${rmId}`;

  async function current(customerId: string): Promise<{ rmId: string; via: ManagerVia; since: Date } | null> {
    const head = await managers.head(streamOf(customerId));
    return head ? { rmId: head.data.rmId, via: head.data.via, since: head.at } : null;
  }

  return {
    current,

    /** The first manager, from how the customer arrived; once (a later call finds it set). */
    async assignFirst(customerId: string, rmId: string, ref: string): Promise<void> {
      const { entry } = await managers
        .append(
          streamOf(customerId),
          (head) => {
            if (head) throw new NotTheirs();
            return { rmId, via: 'attribution', ref };
          },
          { key: `first:${customerId}` },
        )
        .catch((err) => {
          if (err instanceof NotTheirs) return { entry: null };
          throw err;
        });
      if (entry) await books.append(bookOf(rmId), () => ({ customerId, op: 'in', via: 'attribution', ref }), { key: `in:${ref}:${customerId}` });
    },

    /**
     * Moves a customer from one manager to another under a hand-over, once: refused (NotTheirs)
     * when they are no longer `fromRmId`'s. A retry after a crash finishes the books.
     */
    async move(customerId: string, fromRmId: string, toRmId: string, handoverId: string): Promise<void> {
      await managers.append(
        streamOf(customerId),
        (head) => {
          if (head?.data.rmId !== fromRmId) throw new NotTheirs();
          return { rmId: toRmId, via: 'handover', ref: handoverId };
        },
        { key: `handover:${handoverId}:${customerId}` },
      );
      await books.append(bookOf(fromRmId), () => ({ customerId, op: 'out', via: 'handover', ref: handoverId }), { key: `out:${handoverId}:${customerId}` });
      await books.append(bookOf(toRmId), () => ({ customerId, op: 'in', via: 'handover', ref: handoverId }), { key: `in:${handoverId}:${customerId}` });
    },

    /** A page of a manager's book, newest first: the entries that made a customer theirs and still hold. */
    async page(rmId: string, before: number | undefined, limit: number) {
      const entries = await books.list(bookOf(rmId), { beforeSeq: before, limit });
      const heads = await Promise.all(entries.map((e) => managers.head(streamOf(e.data.customerId))));
      const items = entries
        .filter((e, i) => e.data.op === 'in' && heads[i]?.data.ref === e.data.ref && heads[i]?.data.rmId === rmId)
        .map((e) => ({ customerId: e.data.customerId, via: e.data.via, since: e.at }));
      const last = entries[entries.length - 1];
      return { items, nextBefore: last && last.seq > 1 ? last.seq : null };
    },

    /** Every customer of a manager now (a hand-over of all of them reads the whole book). */
    async all(rmId: string): Promise<{ customerId: string; via: ManagerVia }[]> {
      const entries = await books.readAll(bookOf(rmId));
      const seen = new Set<string>();
      const mine: { customerId: string; via: ManagerVia }[] = [];
      for (const e of entries.reverse()) {
        if (seen.has(e.data.customerId)) continue;
        seen.add(e.data.customerId);
        if (e.data.op === 'in' && (await current(e.data.customerId))?.rmId === rmId) mine.push({ customerId: e.data.customerId, via: e.data.via });
      }
      return mine;
    },

    /** A customer's managers, oldest first: the hand-over history. */
    history: (customerId: string) => managers.readAll(streamOf(customerId)),

    async ensureIndexes() {
      await managers.ensureIndexes();
      await books.ensureIndexes();
    },
  };
}

export type Managers = ReturnType<typeof createManagers>;
