import { EventName } from '@shared/events';
import type { ErrorCode } from '@shared/errors';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { SimulatedCrash, type Faults } from '@/platform/faults';
import type { Outbox } from '@/platform/outbox';
import { behind } from '@/platform/alongside';
import type { PointsAccounts } from '@/platform/directory';
import type { CodePools } from '@/kernel/code-pools';
import { FulfilmentFailed, type Fulfil, type Fulfilled, type SagaMode } from './fulfilment';
import type { LimitSlots } from './limits';
import { GROUPS, STEPS, type OrderDoc, type OrderStore, type Outcome, type Step } from './store';
import type { Stock } from '../stock/stock';

/** Business refusals: the step's effect did not happen and the customer is told why. */
const REFUSALS = new Set<ErrorCode>(['MALL_SOLD_OUT', 'MALL_LIMIT_REACHED', 'POINTS_INSUFFICIENT']);
export const isRefusal = (err: unknown): err is AppError => err instanceof AppError && REFUSALS.has(err.code);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The redemption saga: order created → limits claimed and points debited (together) → stock
 * reserved → fulfilled → confirmed. Every step's effect is keyed by the order, and each step
 * is recorded once done, so running the saga again (a retry, another process, the sweep)
 * continues where it stopped and never repeats an effect. The outcome is one insert: confirmed
 * or failed, whoever gets there first; a failed order gets every effect undone exactly once.
 */
export function createRedemption(deps: {
  clock: Clock;
  orders: OrderStore;
  stock: Stock;
  codes: CodePools;
  limits: LimitSlots;
  points: PointsAccounts;
  fulfil: Fulfil;
  outbox: Outbox;
  leaseMs: number;
  faults: Faults;
}) {
  const { orders, clock } = deps;
  // Orders this process is putting on their customer's list beside the saga (see start): none is closed before it is listed.
  const listing = new Map<string, Promise<void>>();

  /** Closes the order once it is on its customer's list: a listing that failed leaves it open, and the sweep lists it again. */
  async function close(orderId: string): Promise<void> {
    await listing.get(orderId);
    await orders.close(orderId);
  }

  /** `pool`: the coupon pool's size, read beside earlier steps (a pool only grows, so an earlier read only errs on the safe side). */
  async function perform(order: OrderDoc, step: Step, mode: SagaMode, pool: Promise<number> | null): Promise<Fulfilled | void> {
    // A prize is neither paid for nor taken from the stock on sale (see prizes.ts).
    if (order.prize && (step === 'debited' || step === 'reserved')) return;
    switch (step) {
      case 'limits':
        return deps.limits.claim(order.itemId, order.customerId, order.day, order.limits, order._id);
      case 'reserved':
        await deps.stock.reserve(order.itemId, order._id, pool ? () => pool : undefined);
        return;
      case 'debited':
        await deps.points.spend(order.customerId, order.pricePoints, `mall:${order._id}`, `积分兑换：${order.title}`, { orderId: order._id, itemCode: order.itemCode });
        return;
      case 'fulfilled':
        return deps.fulfil(order, mode, pool ?? undefined);
    }
  }

  /**
   * Undoes what the order did. A step not recorded may still have had its effect (a crash or an
   * error between the two, and steps run together): each such step is looked up, unless the
   * caller knows every effect so far was recorded.
   */
  async function undo(order: OrderDoc, options: { refundStock: boolean; inFlightKnownEmpty: boolean; confirmed?: boolean }) {
    // A confirmed order did every step (fulfilment is recorded by the outcome itself, see drive).
    const done = options.confirmed ? new Set<Step>(STEPS) : await orders.recorded(order._id);
    const unsure = (step: Step) => !options.inFlightKnownEmpty && !done.has(step);
    const happened = async (step: Step, lookup: () => Promise<boolean>) => done.has(step) || (unsure(step) && (await lookup()));

    if (order.itemType === 'coupon' && (done.has('fulfilled') || unsure('fulfilled'))) await deps.codes.release(order.itemId, order._id);
    if (!order.prize && (await happened('debited', async () => (await deps.points.findByKey(order.customerId, `mall:${order._id}`)) !== null))) {
      await deps.points.refund(order.customerId, `mall:${order._id}`, `mall-refund:${order._id}`, `兑换退回：${order.title}`, { orderId: order._id });
    }
    if (options.refundStock && !order.prize && (await happened('reserved', () => deps.stock.isReserved(order.itemId, order._id))))
      await deps.stock.release(order.itemId, order._id);
    await deps.limits.releaseFor(order.itemId, order.customerId, order.day, order.limits, order._id);
  }

  async function fail(order: OrderDoc, code: string, refusal: boolean, inFlightKnownEmpty: boolean): Promise<OrderDoc> {
    const { outcome } = await orders.claimOutcome(order._id, { outcome: 'failed', code, refusal });
    if (outcome.outcome === 'confirmed') return finish(order, outcome);
    return compensate(order, outcome.code, outcome.refusal, inFlightKnownEmpty);
  }

  async function compensate(order: OrderDoc, code: string, refusal: boolean, inFlightKnownEmpty: boolean): Promise<OrderDoc> {
    if (!(await orders.isCompensated(order._id))) {
      await undo(order, { refundStock: true, inFlightKnownEmpty });
      deps.faults.hit('before:compensated');
      await orders.markCompensated(order._id);
      if (!refusal) await deps.outbox.record(EventName.MALL_ORDER_FAILED, order._id, { orderId: order._id, customerId: order.customerId, itemCode: order.itemCode, code });
    }
    const fields = { status: 'failed' as const, failureCode: code, refusal };
    await orders.set(order._id, fields);
    await close(order._id);
    return { ...order, ...fields };
  }

  /**
   * What fulfilment adds to a confirmed order. The saga that confirmed it holds it; anyone else
   * (a crash before the status was written) derives a code or a voucher again, keyed by the
   * order: the same one. A partner's reference was written before the outcome (see drive).
   */
  async function fulfilled(order: OrderDoc): Promise<Partial<OrderDoc>> {
    const has = { coupon: order.coupon, perk: order.perk, providerRef: order.providerRef };
    const lacking = (order.itemType === 'coupon' && !order.coupon) || (order.itemType === 'perk' && !order.perk);
    if (!lacking) return has;
    const again = await deps.fulfil(order, 'sweep');
    return again === 'pending' ? has : { ...has, ...again };
  }

  /**
   * Writes the decided outcome onto the order (again, if a crash cut that short). `decided`: the
   * outcome as this call found or recorded it; `asDecided`: the order as the saga that confirmed
   * it holds it, so it need not be read again (its status is still processing); `answering`: a
   * customer's request waits for the answer.
   */
  async function finish(order: OrderDoc, decided?: Outcome, asDecided = false, answering = false): Promise<OrderDoc> {
    const outcome = decided ?? (await orders.outcome(order._id))!;
    if (outcome.outcome === 'failed') return compensate(order, outcome.code, outcome.refusal, false);
    const fresh = asDecided ? { ...order } : (await orders.find(order._id))!;
    if (fresh.status !== 'processing') {
      await close(order._id);
      return fresh;
    }
    const status = order.itemType === 'physical' ? 'awaiting_shipment' : 'completed';
    Object.assign(fresh, await fulfilled(fresh));
    // A customer's request (`answering`) answers from the outcome just decided and leaves the rest behind: the order stays
    // marked open until it is written, so the sweep, finding it decided, writes it again after a crash. Anyone else
    // (the sweep itself, a retry) writes it before moving on.
    const written = settle(order, fresh, status).then(async (settled) => {
      await close(order._id);
      return settled;
    });
    if (answering) {
      await behind(written);
      return { ...fresh, status };
    }
    return { ...fresh, status: await written };
  }

  /**
   * Writes a confirmed order's status and what fulfilment added, and keeps its event; the status
   * as it stands after. Two finishers may race, and FerretDB applies the later write: one landing
   * after a cancel or a shipment would undo it. The settlement is an insert, so it is the truth:
   * read after this write, it puts the settled status back.
   */
  async function settle(order: OrderDoc, fresh: OrderDoc, status: OrderDoc['status']): Promise<OrderDoc['status']> {
    const [settled] = await Promise.all([
      orders.set(order._id, { status, coupon: fresh.coupon, perk: fresh.perk, providerRef: fresh.providerRef }).then(() => orders.settlement(order._id)),
      deps.outbox.record(EventName.MALL_ORDER_CONFIRMED, order._id, {
        orderId: order._id,
        customerId: order.customerId,
        itemCode: order.itemCode,
        points: order.pricePoints,
      }),
    ]);
    if (!settled) return status;
    const after = settled.action === 'cancelled' ? 'cancelled' : 'shipped';
    await orders.set(order._id, { status: after });
    return after;
  }

  /** Undoes what can be undone after an unexpected failure (the database, the network), and passes it on; the sweep finishes the rest. */
  async function failUnexpectedly(order: OrderDoc, err: unknown): Promise<never> {
    await fail(order, 'INTERNAL', false, false).catch(() => undefined);
    throw err;
  }

  /**
   * Runs the saga from wherever the order stands; `fresh`: an order just inserted, which has
   * neither an outcome nor a step yet. A group's steps are recorded while the next group works.
   */
  async function drive(initial: OrderDoc, mode: SagaMode, fresh = false, knownPool?: Promise<number>): Promise<OrderDoc> {
    let order = initial;
    if (!fresh && (await orders.outcome(order._id))) return finish(order);
    const done = fresh ? new Set<Step>() : await orders.recorded(order._id);
    // Fulfilment is recorded by the outcome that follows it: a run cut short in between fulfils again, keyed by the order.
    const record = async (steps: Step[]) => {
      const own = steps.filter((step) => step !== 'fulfilled');
      if (own.length) await orders.recordAll(order._id, own);
      for (const step of steps) deps.faults.hit(`after:${step}`);
      // A test that kills the process holds some redemptions here, so it dies with them surely half-done.
      if (steps.includes('debited')) await deps.faults.pause('after:debited');
    };
    const pool = order.itemType === 'coupon' ? (knownPool ?? deps.codes.poolSize(order.itemId)) : null;
    pool?.catch(() => undefined); // awaited where the unit is reserved and the code assigned, unless an earlier step stopped the saga
    let recording: Promise<void> = Promise.resolve();
    for (const group of GROUPS) {
      const todo = group.filter((step) => !done.has(step));
      if (!todo.length) continue;
      // A request that has run long leaves the rest to the sweep, which waits for the whole lease.
      if (mode === 'request' && clock.now().getTime() - order.createdAt.getTime() > deps.leaseMs / 2) {
        await recording;
        return order;
      }
      const [results, recordFailures] = await Promise.all([
        Promise.allSettled(todo.map((step) => perform(order, step, mode, pool))),
        recording.then(
          () => [],
          (err: unknown) => [err],
        ),
      ]);
      const failures = [...recordFailures, ...results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))];
      const crash = failures.find((err) => err instanceof SimulatedCrash);
      if (crash) throw crash;
      const succeeded = todo.filter((_, i) => results[i].status === 'fulfilled');
      if (!failures.length && results.some((r) => r.status === 'fulfilled' && r.value === 'pending')) return order; // the partner has not answered: the sweep settles it
      // What fulfilment adds is written with the confirmed status (see finish): a code or a voucher can be derived again from
      // the order. A partner's reference cannot (asking again may cancel a delivery): it is written before the outcome.
      for (const r of results) if (r.status === 'fulfilled' && r.value && r.value !== 'pending') order = { ...order, ...r.value };
      if (order.providerRef && todo.includes('fulfilled')) await orders.set(order._id, { providerRef: order.providerRef }).catch((err: unknown) => failures.push(err));
      if (!failures.length) {
        recording = record(succeeded);
        continue;
      }
      // What happened is recorded before the failure is handled: the undo then knows it without looking it up.
      await record(succeeded).catch((err: unknown) => {
        if (err instanceof SimulatedCrash) throw err;
        failures.push(err);
      });
      if (failures.every(isRefusal)) {
        await fail(order, failures[0].code, true, true);
        throw failures[0];
      }
      if (failures.length === 1 && failures[0] instanceof FulfilmentFailed) return fail(order, 'MALL_FULFILMENT_FAILED', false, false);
      return failUnexpectedly(order, failures.find((err) => !isRefusal(err) && !(err instanceof FulfilmentFailed)) ?? failures[0]);
    }
    await recording.catch((err: unknown) => (err instanceof SimulatedCrash ? Promise.reject(err) : failUnexpectedly(order, err)));
    const { won, outcome } = await orders.claimOutcome(order._id, { outcome: 'confirmed' });
    deps.faults.hit('after:confirmed');
    if (outcome.outcome === 'failed') return compensate(order, outcome.code, outcome.refusal, false);
    return finish(order, outcome, won, mode === 'request');
  }

  /**
   * An order as it stands. One still marked processing whose outcome is already decided (a
   * crash after deciding, or a status write lost to a concurrent update) gets it written now.
   */
  async function current(order: OrderDoc): Promise<OrderDoc> {
    if (order.status !== 'processing' || !(await orders.outcome(order._id))) return order;
    return finish(order);
  }

  return {
    /**
     * Starts a new order's saga, and puts the order on the customer's list meanwhile (the sweep does it again after a crash).
     * `knownPool`: the coupon pool's size, read already (a pool only grows: an earlier read errs only on the safe side).
     */
    async start(order: OrderDoc, knownPool?: Promise<number>): Promise<OrderDoc> {
      const listed = orders.listForCustomer(order);
      listing.set(order._id, listed);
      listed.catch(() => undefined); // awaited below, and before the order is closed
      try {
        const [result] = await Promise.all([drive(order, 'request', true, knownPool), listed]);
        return result;
      } finally {
        void listed.finally(() => listing.delete(order._id)).catch(() => undefined);
      }
    },
    current,

    /** The order a retry of the same request gets: the same one, once it has settled. */
    async settled(orderId: string, waitMs: number): Promise<OrderDoc> {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const order = await current((await orders.find(orderId))!);
        if (order.status !== 'processing' || Date.now() > deadline) {
          if (order.refusal && order.failureCode) throw new AppError(order.failureCode as ErrorCode);
          return order;
        }
        await sleep(50);
      }
    },

    /** Continues an order the sweep found open past its lease (see order-sweep). */
    resume: (order: OrderDoc) => drive(order, 'sweep'),

    /** Cancels a confirmed order: points back, and the unit back on sale if it never left. */
    async cancel(order: OrderDoc, by: string, options: { refundStock: boolean }): Promise<OrderDoc> {
      const { won, settlement } = await orders.claimSettlement(order._id, { action: 'cancelled', by });
      if (!won && settlement.action === 'shipped') throw new AppError('MALL_ORDER_NOT_CANCELLABLE', { message: '订单已发货，不能取消' });
      await undo(order, { refundStock: options.refundStock, inFlightKnownEmpty: true, confirmed: true });
      await orders.set(order._id, { status: 'cancelled' });
      await deps.outbox.record(EventName.MALL_ORDER_CANCELLED, order._id, {
        orderId: order._id,
        customerId: order.customerId,
        itemCode: order.itemCode,
        points: order.pricePoints,
        by,
      });
      return { ...order, status: 'cancelled' };
    },
  };
}

export type Redemption = ReturnType<typeof createRedemption>;
