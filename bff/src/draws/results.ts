import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { isDuplicateKeyError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';
import type { DrawPrize } from '@shared/contracts/draws';

/** One decided draw, written once: what it gave and what an auditor needs to re-run the choice. */
export type DrawDoc = {
  _id: string;
  activityId: string;
  customerId: string;
  /** The live revision of the draw's rules it was decided under. */
  revision: number;
  random: number;
  guaranteed: boolean;
  /** Prizes available to this draw when its chance was spent. */
  available: string[];
  /** Each prize tried in turn, and whether its unit was there. */
  attempts: { code: string; ok: boolean }[];
  prizeCode: string;
  prizeName: string;
  kind: DrawPrize['kind'];
  won: boolean;
  points: number | null;
  /** A mall_item prize: the item it gives. */
  itemCode?: string;
  /** Bank day of the draw (for daily caps). */
  day: string;
  at: Date;
  /** Set for a prize shipped to an address the customer gives: the last moment to claim it. */
  claimBy: Date | null;
  /**
   * Decided with everything its win needs taken at once: a points prize's reward was reserved
   * from the budget with the unit, under `<draw>:<prize>` (draws decided before have no flag and
   * pay under the draw's id).
   */
  reserved?: boolean;
};

/** Attempt `<draw>#<i>`: the prize tried and whether its unit was there. */
type AttemptDoc = { _id: string; code: string; ok: boolean };

export type ClaimDoc = { _id: string; customerId: string; name: string; phone: string; region: string; detail: string; at: Date };
type ShipmentDoc = { _id: string; carrier: string; trackingNo: string; by: string; at: Date };

/**
 * The draws' records, all written by insert under a key: results, the attempts that decided
 * them, a physical prize's claim and shipment, draws and purchases in flight (swept after a
 * crash), and each customer's wins as a stream for 我的奖品.
 */
export function createDrawRecords(db: Database, clock: Clock) {
  const results = () => db.collection<DrawDoc>('draw_results');
  // Attempts are kept beside the results (an attempt has no activityId, so no scan of results meets one): the attempt that
  // wins and the decision it makes go in as one ordered insert.
  const attempts = () => db.collection<AttemptDoc>('draw_results');
  const claims = () => db.collection<ClaimDoc>('draw_claims');
  const shipments = () => db.collection<ShipmentDoc>('draw_shipments');
  const inFlight = () => db.collection<{ _id: string; kind: 'draw' | 'purchase'; activityId: string; customerId: string; cost?: number; at: Date }>('draw_in_flight');
  const wins = createStreamStore<{ drawId: string }>(db, 'draw_customer_prizes', clock);

  return {
    // An attempt's id (`<draw>#<i>`) names no result.
    find: async (drawId: string) => (drawId.includes('#') ? null : results().findOne({ _id: drawId })),
    /** Writes the result, or reads the one a concurrent run of the same draw wrote first. */
    async decide(doc: DrawDoc): Promise<DrawDoc> {
      if (await insertOnce(results(), doc)) return doc;
      return (await results().findOne({ _id: doc._id }))!;
    },
    /**
     * Attempt `i` won, and the decision it makes: one ordered insert, so the decision goes in
     * only if the attempt did. The decision (this one, or one a concurrent run of the draw made
     * first), or the attempt as another run recorded it first.
     */
    async decideWith(i: number, doc: DrawDoc): Promise<{ decided: DrawDoc } | { attempt: AttemptDoc }> {
      const attempt: AttemptDoc = { _id: `${doc._id}#${i}`, code: doc.prizeCode, ok: true };
      try {
        await attempts().insertMany([attempt, doc as never], { ordered: true });
        return { decided: doc };
      } catch (err) {
        const { writeErrors } = err as { writeErrors?: unknown };
        const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as { index?: number } | undefined;
        if (!first || !isDuplicateKeyError(first)) throw err;
        if (first.index === 0) return { attempt: (await attempts().findOne({ _id: attempt._id }))! };
        return { decided: (await results().findOne({ _id: doc._id }))! };
      }
    },
    /** Attempt `i` of a draw: recorded once, by whichever run gets there first. */
    attempt: async (drawId: string, i: number) => attempts().findOne({ _id: `${drawId}#${i}` }),
    async recordAttempt(drawId: string, i: number, code: string, ok: boolean) {
      const doc = { _id: `${drawId}#${i}`, code, ok };
      if (await insertOnce(attempts(), doc)) return doc;
      return (await attempts().findOne({ _id: doc._id }))!;
    },
    claim: (drawId: string) => claims().findOne({ _id: drawId }),
    async addClaim(doc: ClaimDoc): Promise<ClaimDoc> {
      if (await insertOnce(claims(), doc)) return doc;
      return (await claims().findOne({ _id: doc._id }))!;
    },
    shipment: (drawId: string) => shipments().findOne({ _id: drawId }),
    async addShipment(doc: ShipmentDoc): Promise<{ shipment: ShipmentDoc; first: boolean }> {
      if (await insertOnce(shipments(), doc)) return { shipment: doc, first: true };
      return { shipment: (await shipments().findOne({ _id: doc._id }))!, first: false };
    },

    markInFlight: (doc: { _id: string; kind: 'draw' | 'purchase'; activityId: string; customerId: string; cost?: number }) => insertOnce(inFlight(), { ...doc, at: clock.now() }),
    clearInFlight: (id: string) => inFlight().deleteOne({ _id: id }),
    inFlightSince: (cutoff: Date, limit = 200) =>
      inFlight()
        .find({ at: { $lte: cutoff } })
        .limit(limit)
        .toArray(),
    isInFlight: async (id: string) => (await inFlight().findOne({ _id: id })) !== null,

    addWin: (customerId: string, drawId: string) => wins.append(`prizes:${customerId}`, () => ({ drawId }), { key: `prize:${drawId}` }),
    winsOf: (customerId: string, before: number | undefined, limit: number) => wins.list(`prizes:${customerId}`, { beforeSeq: before, limit }),

    /** Every result of one draw (a scan: for the back office, not customer traffic). */
    ofActivity: (activityId: string, options: { wonOnly?: boolean; after?: string; limit?: number } = {}) =>
      results()
        .find({ activityId, ...(options.wonOnly ? { won: true } : {}), ...(options.after ? { _id: { $gt: options.after } } : {}) })
        .sort({ _id: 1 })
        .limit(options.limit ?? 0)
        .toArray(),

    async ensureIndexes() {
      await wins.ensureIndexes();
      await results().createIndex({ activityId: 1, won: 1 });
      await inFlight().createIndex({ at: 1 });
    },
  };
}

export type DrawRecords = ReturnType<typeof createDrawRecords>;
