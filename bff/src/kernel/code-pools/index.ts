import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { createStreamStore } from '@/platform/stream';
import { insertOnce } from '@/platform/keyed';
import { hashId } from '../ids';

/**
 * Coupon code pools, one per thing that hands out codes (a mall item, a co-branded coupon, a
 * draw's coupon prize). Uploaded codes are numbered 1..N per pool (`<poolId>#<n>`); handing
 * them out is a stream per pool whose entries carry the next fresh number and the numbers
 * given back by failed orders. An order's entry is keyed by the order, and each position is
 * won by exactly one writer, so no code ever goes to two orders. The codes themselves are
 * never logged or put in events.
 *
 * The collections keep the `mall_code_*` names they had when only the mall had pools: renaming
 * them would strand the codes already stored.
 */
type PoolData = { added: number; total: number };
type AllocationData = { op: 'assign' | 'return'; orderId: string; codeSeq: number; next: number; returned: number[] };
/** `itemId` names the pool (a stored field, kept from when only mall items had pools). */
type CodeDoc = { _id: string; itemId: string; seq: number; code: string };

export class CodesExhausted extends Error {}

export function createCodePools(db: Database, clock: Clock) {
  const pools = createStreamStore<PoolData>(db, 'mall_code_pool', clock);
  const allocations = createStreamStore<AllocationData>(db, 'mall_code_alloc', clock);
  const codes = () => db.collection<CodeDoc>('mall_codes');
  // One marker per code value, so a code uploaded twice (in one file or two) is stored once.
  const seen = () => db.collection<{ _id: string; upload: string }>('mall_code_hashes');

  const poolSize = async (poolId: string) => (await pools.head(`pool:${poolId}`))?.data.total ?? 0;

  async function allocationState(poolId: string) {
    const head = await allocations.head(`alloc:${poolId}`);
    return { next: head?.data.next ?? 1, returned: head?.data.returned ?? [] };
  }

  return {
    /** Adds codes to a pool; the same file uploaded again adds nothing. */
    async upload(poolId: string, values: string[]): Promise<{ accepted: number; duplicates: number; poolSize: number; assigned: number }> {
      const unique = [...new Set(values)];
      const upload = `upload:${poolId}:${hashId([unique.join('\n')])}`;
      const accepted: string[] = [];
      for (const value of unique) {
        const _id = hashId([poolId, value]);
        // Ours, or ours from an earlier try of this very upload (cut short by a crash): still ours.
        if ((await insertOnce(seen(), { _id, upload })) || (await seen().findOne({ _id }))?.upload === upload) accepted.push(value);
      }
      const { entry } = await pools.append(`pool:${poolId}`, (head) => ({ added: accepted.length, total: (head?.data.total ?? 0) + accepted.length }), { key: upload });
      const first = entry.data.total - entry.data.added + 1;
      for (const [i, code] of accepted.entries()) {
        const seq = first + i;
        await insertOnce(codes(), { _id: `${poolId}#${seq}`, itemId: poolId, seq, code });
      }
      const state = await allocationState(poolId);
      return { accepted: entry.data.added, duplicates: values.length - entry.data.added, poolSize: entry.data.total, assigned: state.next - 1 - state.returned.length };
    },

    /** One unused code for this order; the same order always gets the same code. `known`: the pool's size, read already. */
    async assign(poolId: string, orderId: string, known?: Promise<number>): Promise<string> {
      // Read beside the allocations' head; it only grows, so an earlier read only errs on the safe side.
      const size = known ?? poolSize(poolId);
      size.catch(() => undefined); // awaited in the decision; a failed head read of the allocations never gets there
      // The code is read beside the insert that gives it: its number is known once the decision is made.
      let reading: { codeSeq: number; doc: Promise<{ code: string } | null> } | null = null;
      const readCode = (codeSeq: number) => {
        const doc = codes().findOne({ _id: `${poolId}#${codeSeq}` });
        doc.catch(() => undefined); // awaited below when this decision is the one that landed
        reading = { codeSeq, doc };
        return codeSeq;
      };
      const { entry } = await allocations.append(
        `alloc:${poolId}`,
        async (head) => {
          const next = head?.data.next ?? 1;
          const returned = head?.data.returned ?? [];
          if (returned.length) return { op: 'assign', orderId, codeSeq: readCode(returned[0]), next, returned: returned.slice(1) };
          if (next > (await size)) throw new CodesExhausted();
          return { op: 'assign', orderId, codeSeq: readCode(next), next: next + 1, returned };
        },
        { key: `assign:${orderId}` },
      );
      const read = reading as { codeSeq: number; doc: Promise<{ code: string } | null> } | null;
      // Read again when the early read missed it: an upload counts its codes before it writes them.
      const early = read?.codeSeq === entry.data.codeSeq ? await read.doc : null;
      const doc = early ?? (await codes().findOne({ _id: `${poolId}#${entry.data.codeSeq}` }));
      if (!doc) throw new Error(`code ${poolId}#${entry.data.codeSeq} missing from the pool`);
      return doc.code;
    },

    /** The code already given to this order, if any: a read, for showing it again. */
    async assigned(poolId: string, orderId: string): Promise<string | null> {
      const entry = await allocations.findByKey(`alloc:${poolId}`, `assign:${orderId}`);
      return entry ? ((await codes().findOne({ _id: `${poolId}#${entry.data.codeSeq}` }))?.code ?? null) : null;
    },

    /** Gives a failed order's code back to the pool, once. */
    async release(poolId: string, orderId: string): Promise<void> {
      const assigned = await allocations.findByKey(`alloc:${poolId}`, `assign:${orderId}`);
      if (!assigned) return;
      await allocations.append(
        `alloc:${poolId}`,
        (head) => ({ op: 'return', orderId, codeSeq: assigned.data.codeSeq, next: head!.data.next, returned: [...head!.data.returned, assigned.data.codeSeq] }),
        { key: `return:${orderId}` },
      );
    },

    /** Codes uploaded to the pool, ever: units handed out from it (a coupon item's stock) can never outnumber them. */
    poolSize,

    async status(poolId: string) {
      const state = await allocationState(poolId);
      return { poolSize: await poolSize(poolId), assigned: state.next - 1 - state.returned.length };
    },

    /** No code held by two orders at once, and every handed-out number exists in the pool. */
    async check(poolId: string): Promise<string[]> {
      const problems: string[] = [];
      const entries = await allocations.readAll(`alloc:${poolId}`);
      const holder = new Map<number, string>();
      const size = await poolSize(poolId);
      for (const e of entries) {
        const { op, codeSeq, orderId } = e.data;
        if (op === 'assign') {
          if (holder.has(codeSeq)) problems.push(`alloc:${poolId}#${e.seq}: code ${codeSeq} given to ${orderId} while held by ${holder.get(codeSeq)}`);
          if (codeSeq > size) problems.push(`alloc:${poolId}#${e.seq}: code ${codeSeq} beyond the pool of ${size}`);
          holder.set(codeSeq, orderId);
        } else if (holder.get(codeSeq) === orderId) holder.delete(codeSeq);
        else problems.push(`alloc:${poolId}#${e.seq}: ${orderId} returned code ${codeSeq} it did not hold`);
      }
      return problems;
    },

    /** The pools' own indexes: each feature that makes pools calls it (it is idempotent), so none relies on another's start-up. */
    ensureIndexes: async () => {
      await pools.ensureIndexes();
      await allocations.ensureIndexes();
    },
  };
}

export type CodePools = ReturnType<typeof createCodePools>;
