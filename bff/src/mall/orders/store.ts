import type { Address, MallItemInput, MallItemType, OrderStatus } from '@shared/contracts/mall';
import type { Clock } from '@/platform/clock';
import type { Filter } from 'mongodb';
import { escapeRegex, type Database } from '@/platform/db';
import { createStreamStore } from '@/platform/stream';
import type { Limits } from './limits';
import { insertManyOnce, insertOnce } from '@/platform/keyed';
import { orderNumberCandidate } from './view';

/** A redemption order. Its `_id` comes from the customer and their idempotency key. */
export type OrderDoc = {
  _id: string;
  /** 订单编号: unique, claimed when the order is placed (see `orderNumberCandidate`). */
  orderNo: string;
  customerId: string;
  itemId: string;
  itemCode: string;
  itemType: MallItemType;
  /** The org unit that owns the item: back-office lists are scoped by it. */
  orgUnitId: string;
  title: string;
  cover: string | null;
  pricePoints: number;
  cashYuan: number | null;
  /** The item's fulfilment settings when ordered. */
  fulfilment: MallItemInput['fulfilment'];
  limits: Limits;
  /** The bank day of the order, which daily limits count in. */
  day: string;
  account: string | null;
  address: Address | null;
  fingerprint: string;
  createdAt: Date;
  status: OrderStatus;
  failureCode: string | null;
  /** Refused by a business rule (sold out, limit, points): not shown in 我的订单. */
  refusal: boolean;
  coupon: { name: string; code: string; validUntil: string } | null;
  perk: { voucherNo: string; instructions: string } | null;
  providerRef: string | null;
  shipping: { carrier: string; trackingNo: string; shippedAt: Date } | null;
  /** A lucky-draw prize: no points, and its unit was set aside from the stock when the draw was approved. */
  prize?: boolean;
};

/** What the back office looks orders up by: a 订单编号, or part of an item's title or its code, and the order's bank days. */
export type OrderSearch = { orgUnitIds: string[]; status?: OrderStatus; orderNo?: string; text?: string; from?: string; to?: string };

/** What a new order starts with, before its saga has done anything. */
export const NOT_STARTED = {
  status: 'processing',
  failureCode: null,
  refusal: false,
  coupon: null,
  perk: null,
  providerRef: null,
  shipping: null,
} as const satisfies Partial<OrderDoc>;

/**
 * Saga steps; each is recorded once it has happened. They run in groups, one after another:
 * the customer's own limits and points together, then the unit, then fulfilment. The unit comes
 * after the points: a unit held by an order that cannot pay would turn other customers away from
 * units still for sale, while a customer's limits and points are theirs alone.
 */
export const STEPS = ['limits', 'debited', 'reserved', 'fulfilled'] as const;
export type Step = (typeof STEPS)[number];
export const GROUPS: readonly (readonly Step[])[] = [['limits', 'debited'], ['reserved'], ['fulfilled']];
/** Decided once per order by whoever inserts it first: the worker, a retry or the sweep. */
export type Outcome = { outcome: 'confirmed' } | { outcome: 'failed'; code: string; refusal: boolean };
export type Settlement = { action: 'shipped' | 'cancelled'; by: string };

type StepDoc = { _id: string; at: Date } & Partial<Outcome> & Partial<Settlement>;

export function createOrderStore(db: Database, clock: Clock) {
  const orders = () => db.collection<OrderDoc>('mall_orders');
  const steps = () => db.collection<StepDoc>('mall_order_steps');
  // Orders not yet finished, so the sweep reads a short list instead of every order.
  const open = () => db.collection<{ _id: string; createdAt: Date }>('mall_open_orders');
  // Each customer's orders, newest last, read back as a range of _id lookups.
  const byCustomer = createStreamStore<{ orderId: string }>(db, 'mall_customer_orders', clock);

  // 订单编号 → order: unique by their `_id`, so no two orders share a number.
  const numbers = () => db.collection<{ _id: string; orderId: string }>('mall_order_numbers');
  /** The order's number: the first candidate no other order holds (a retried placement finds its own). */
  async function claimNumber(order: Pick<OrderDoc, '_id' | 'createdAt'>): Promise<string> {
    for (let attempt = 0; ; attempt += 1) {
      const orderNo = orderNumberCandidate(order, attempt);
      if (await insertOnce(numbers(), { _id: orderNo, orderId: order._id })) return orderNo;
      if ((await numbers().findOne({ _id: orderNo }))?.orderId === order._id) return orderNo;
    }
  }

  /** The order holding an 订单编号, read through its claim by `_id`. */
  async function findByNumber(orderNo: string): Promise<OrderDoc | null> {
    const claim = await numbers().findOne({ _id: orderNo });
    return claim ? orders().findOne({ _id: claim.orderId }) : null;
  }

  /** Adds the order to the customer's list (once: the entry is keyed by the order). */
  async function listForCustomer(order: OrderDoc): Promise<void> {
    await byCustomer.append(`orders:${order.customerId}`, () => ({ orderId: order._id }), { key: `order:${order._id}` });
  }

  async function claim<T extends object>(orderId: string, name: string, data: T): Promise<{ won: boolean; current: StepDoc }> {
    const doc = { _id: `${orderId}|${name}`, at: clock.now(), ...data };
    if (await insertOnce(steps(), doc)) return { won: true, current: doc };
    return { won: false, current: (await steps().findOne({ _id: doc._id }))! };
  }

  return {
    /**
     * The order as stored with its number, or null when an order with this id already exists. The open marker goes first: an order a
     * crash leaves behind is then always one the sweep will find. The saga puts it on the
     * customer's list (see redemption.ts).
     */
    async insert(placed: Omit<OrderDoc, 'orderNo'>): Promise<OrderDoc | null> {
      const [, orderNo] = await Promise.all([insertOnce(open(), { _id: placed._id, createdAt: placed.createdAt }), claimNumber(placed)]);
      const order = { ...placed, orderNo };
      return (await insertOnce(orders(), order)) ? order : null;
    },
    findByNumber,
    listForCustomer,
    find: (id: string) => orders().findOne({ _id: id }),
    set: (id: string, fields: Partial<OrderDoc>) => orders().updateOne({ _id: id }, { $set: fields }),

    async record(orderId: string, step: Step): Promise<void> {
      await claim(orderId, step, {});
    },
    /** Records steps done together, in one write (each is its own keyed document). */
    async recordAll(orderId: string, done: Step[]): Promise<void> {
      const at = clock.now();
      await insertManyOnce(
        steps(),
        done.map((step) => ({ _id: `${orderId}|${step}`, at })),
      );
    },
    async recorded(orderId: string): Promise<Set<Step>> {
      const found = await Promise.all(STEPS.map((s) => steps().findOne({ _id: `${orderId}|${s}` })));
      return new Set(STEPS.filter((_, i) => found[i] !== null));
    },
    claimOutcome: async (orderId: string, outcome: Outcome) => {
      const { won, current } = await claim(orderId, 'outcome', outcome);
      return { won, outcome: current as unknown as Outcome };
    },
    outcome: async (orderId: string) => (await steps().findOne({ _id: `${orderId}|outcome` })) as (StepDoc & Outcome) | null,
    markCompensated: (orderId: string) => claim(orderId, 'compensated', {}),
    isCompensated: async (orderId: string) => (await steps().findOne({ _id: `${orderId}|compensated` })) !== null,
    /**
     * What an order's timeline is drawn from, beside the order itself: its points debit, its
     * outcome, its compensation and its settlement, each a read by `_id` (one round trip together).
     */
    async history(orderId: string) {
      const [debited, outcome, compensated, settle] = await Promise.all(
        ['debited', 'outcome', 'compensated', 'settle'].map((name) => steps().findOne({ _id: `${orderId}|${name}` })),
      );
      return {
        debited: debited ? { at: debited.at } : null,
        outcome: outcome as (StepDoc & Outcome) | null,
        compensated: compensated ? { at: compensated.at } : null,
        settlement: settle as (StepDoc & Settlement) | null,
      };
    },
    settlement: async (orderId: string) => (await steps().findOne({ _id: `${orderId}|settle` })) as (StepDoc & Settlement) | null,
    claimSettlement: async (orderId: string, settlement: Settlement) => {
      const { won, current } = await claim(orderId, 'settle', settlement);
      return { won, settlement: current as unknown as Settlement };
    },

    close: (orderId: string) => open().deleteOne({ _id: orderId }),
    openSince: async (cutoff: Date, limit = 500) =>
      (
        await open()
          .find({ createdAt: { $lte: cutoff } })
          .limit(limit)
          .toArray()
      ).map((o) => o._id),

    async pageForCustomer(customerId: string, before: number | undefined, limit: number) {
      const entries = await byCustomer.list(`orders:${customerId}`, { beforeSeq: before, limit });
      const docs = await Promise.all(entries.map((e) => orders().findOne({ _id: e.data.orderId })));
      const last = entries[entries.length - 1];
      return { orders: docs.filter((d): d is OrderDoc => d !== null), nextBefore: last && last.seq > 1 ? last.seq : null };
    },
    /**
     * Orders of these units matching the back office's filter, oldest first (a scan: staff pages,
     * not customer traffic). The scope is part of the query, so a page is full of orders the
     * reader may see. An 订单编号 is found through its claim, by `_id`, and then held to the filter.
     * One page of them, and how many there are in all.
     */
    async search(f: OrderSearch, page: { skip: number; limit: number }): Promise<{ docs: OrderDoc[]; total: number }> {
      if (f.orderNo) {
        const o = await findByNumber(f.orderNo);
        const matches = !!o && f.orgUnitIds.includes(o.orgUnitId) && (!f.status || o.status === f.status) && (!f.from || o.day >= f.from) && (!f.to || o.day <= f.to);
        return { docs: matches && page.skip === 0 ? [o] : [], total: matches ? 1 : 0 };
      }
      const filter: Filter<OrderDoc> = { orgUnitId: { $in: f.orgUnitIds } };
      if (f.status) filter.status = f.status;
      if (f.from || f.to) filter.day = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lte: f.to } : {}) };
      if (f.text) filter.$or = [{ itemCode: f.text }, { title: { $regex: escapeRegex(f.text), $options: 'i' } }];
      const sorted = () => orders().find(filter).sort({ createdAt: 1, _id: 1 });
      const [docs, total] = await Promise.all([sorted().skip(page.skip).limit(page.limit).toArray(), orders().countDocuments(filter)]);
      return { docs, total };
    },
    /**
     * Up to `limit` orders after `after` in `_id` order, of one item or all: the walk of the
     * mall's check, a page at a time (on FerretDB each read still scans the orders; the work
     * done per order is what the page bounds).
     */
    pageAfter: (after: string | null, limit: number, itemId?: string) =>
      orders()
        .find({ ...(itemId === undefined ? {} : { itemId }), ...(after === null ? {} : { _id: { $gt: after } }) })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray(),
    count: (itemId?: string) => (itemId === undefined ? orders().estimatedDocumentCount() : orders().countDocuments({ itemId })),

    ensureIndexes: async () => {
      await byCustomer.ensureIndexes();
      await orders().createIndex({ status: 1, createdAt: 1 });
      await orders().createIndex({ orgUnitId: 1, status: 1, createdAt: 1 });
      await orders().createIndex({ itemId: 1, _id: 1 });
      await open().createIndex({ createdAt: 1 });
    },
  };
}

export type OrderStore = ReturnType<typeof createOrderStore>;
