import type { ActivityView } from '@/activities';
import { EventName } from '@shared/events';
import { maskPhone } from '@shared/masking';
import type { CustomerDirectory, PointsAccounts } from '@/platform/directory';
import type { MallOrder } from '@shared/contracts/mall';
import type { CodePools } from '@/kernel/code-pools';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { Chances } from './chances';
import { effectiveWeights, pick, publishedOdds } from './odds';
import type { PrizeStock } from './prize-stock';
import type { DrawDoc, DrawRecords } from './results';
import type { PrizeDelivery } from './delivery';
import { prizeOrderId, type DrawMallPrizes } from './mall-prizes';
import { poolOf, rewardOfDraw, type DrawView } from './service';
import type { DrawPrize } from '@shared/contracts/draws';
import type { RewardEngine } from '@/rewards';

/** The back office of draws: results against the published odds, winners, the books, coupon codes and shipping. */
export function createDrawAdminService(deps: {
  clock: Clock;
  /** The activity as its reader may see it (their org subtree), or NOT_FOUND. */
  visible: (principal: Principal, id: string) => Promise<unknown>;
  findView: (id: string) => Promise<ActivityView | null>;
  chances: Chances;
  stock: PrizeStock;
  records: DrawRecords;
  codes: CodePools;
  points: PointsAccounts;
  customers: CustomerDirectory;
  audit: AuditLog;
  outbox: Outbox;
  delivery: PrizeDelivery;
  /** Ships a mall order (the mall's back office): how a won mall item is shipped. */
  shipOrder: (principal: Principal, orderId: string, shipping: { carrier: string; trackingNo: string }) => Promise<MallOrder>;
  /** How many of a prize can be won: its quantity, or fewer codes uploaded, or fewer mall units set aside. */
  capOf: (activityId: string, prize: DrawPrize) => Promise<number>;
  rewards: Pick<RewardEngine, 'stateOf'>;
  mallPrizes: Pick<DrawMallPrizes, 'setAsideFor'>;
}) {
  const { chances, stock, records } = deps;

  async function drawOf(principal: Principal, id: string): Promise<DrawView> {
    await deps.visible(principal, id);
    const view = await deps.findView(id);
    if (view?.live?.type !== 'draw') throw new AppError('NOT_FOUND', { message: '抽奖活动不存在或未上线' });
    return view as DrawView;
  }

  /** The prize a stored draw lands on when its selection is run again from what it recorded. */
  function rerun(view: DrawView, doc: DrawDoc): { prize: string; path: string[] } {
    const available = new Set(doc.available);
    const path: string[] = [];
    for (let i = 0; i <= doc.attempts.length; i++) {
      const code = pick(doc.random, effectiveWeights(view.live.settings, available, doc.guaranteed));
      path.push(code);
      if (code === view.live.settings.fallbackCode || doc.attempts[i]?.ok !== false) return { prize: code, path };
      available.delete(code);
    }
    return { prize: path[path.length - 1], path };
  }

  return {
    async stats(principal: Principal, id: string) {
      const view = await drawOf(principal, id);
      const results = await records.ofActivity(view._id);
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.prizeCode, (counts.get(r.prizeCode) ?? 0) + 1);
      const odds = publishedOdds(view.live.settings);
      const heads = await Promise.all((await chances.customersOf(view._id)).map((c) => chances.head(view._id, c)));
      const totals = heads
        .map((h) => chances.state(h))
        .reduce((t, s) => ({ granted: t.granted + s.granted, bought: t.bought + s.bought, spent: t.spent + s.spent, remaining: t.remaining + s.balance }), {
          granted: 0,
          bought: 0,
          spent: 0,
          remaining: 0,
        });
      return {
        activityId: view._id,
        draws: results.length,
        prizes: await Promise.all(
          view.live.settings.prizes.map(async (p) => {
            const won = p.quantity === undefined ? (counts.get(p.code) ?? 0) : await stock.won(view._id, p.code);
            return {
              code: p.code,
              name: p.name,
              quantity: p.quantity ?? null,
              won,
              // What can still be won: a coupon's codes and a mall item's units set aside bound it too.
              left: p.quantity === undefined ? null : Math.max(0, (await deps.capOf(view._id, p)) - won),
              expectedPercent: odds.get(p.code)!,
              actualPercent: results.length ? Math.round(((counts.get(p.code) ?? 0) / results.length) * 100_000) / 1000 : 0,
            };
          }),
        ),
        chances: totals,
      };
    },

    /** Winners, oldest first, masked: a page, or every one as CSV. */
    async winners(principal: Principal, id: string, options: { after?: string; limit: number }) {
      const view = await drawOf(principal, id);
      const docs = await records.ofActivity(view._id, { wonOnly: true, after: options.after, limit: options.limit });
      const items = await Promise.all(
        docs.map(async (d) => {
          const customer = await deps.customers.findById(d.customerId);
          const delivery = await deps.delivery.of(d);
          return {
            drawId: d._id,
            customerId: d.customerId,
            phone: customer?.phone ? maskPhone(customer.phone) : null,
            prizeCode: d.prizeCode,
            prizeName: d.prizeName,
            guaranteed: d.guaranteed,
            at: d.at.toISOString(),
            claimed: delivery.claim !== null,
            shipped: delivery.shipped,
          };
        }),
      );
      return { items, next: docs.length === options.limit ? docs[docs.length - 1]._id : null };
    },

    async uploadCodes(principal: Principal, id: string, prizeCode: string, codes: string[]) {
      const view = await drawOf(principal, id);
      const prize = view.live.settings.prizes.find((p) => p.code === prizeCode);
      if (!prize) throw new AppError('NOT_FOUND', { message: '奖品不存在' });
      if (prize.kind !== 'coupon') throw new AppError('MALL_CODES_NOT_COUPON', { message: '只有优惠券奖品可以上传券码' });
      const result = await deps.codes.upload(poolOf(view._id, prizeCode), codes);
      await deps.audit.record(principal, { action: 'draw.codes_uploaded', targetType: 'activity', targetId: view._id, detail: { prizeCode, accepted: result.accepted } });
      return result;
    },

    /**
     * Ships a claimed prize, once; the tracking number goes to the customer's 我的奖品. A mall
     * item is shipped as its mall order, so the mall's books and order list say so too.
     */
    async ship(principal: Principal, drawId: string, shipping: { carrier: string; trackingNo: string }) {
      const doc = await records.find(drawId);
      if (!doc) throw new AppError('NOT_FOUND');
      await drawOf(principal, doc.activityId);
      if (!doc.claimBy || !(await records.claim(drawId))) throw new AppError('DRAW_PRIZE_NOT_SHIPPABLE');
      if (doc.kind === 'mall_item') {
        await deps.delivery.of(doc); // its order exists once claimed, unless a crash cut that short
        await deps.shipOrder(principal, prizeOrderId(drawId), shipping);
        const shipped = await deps.delivery.of(doc);
        return { drawId, carrier: shipped.carrier!, trackingNo: shipped.trackingNo!, shippedAt: shipped.shippedAt!.toISOString() };
      }
      const { shipment, first } = await records.addShipment({ _id: drawId, ...shipping, by: principal.id, at: deps.clock.now() });
      if (first) {
        await deps.audit.record(
          principal,
          { action: 'draw.prize_shipped', targetType: 'draw_result', targetId: drawId, detail: { carrier: shipment.carrier } },
          `draw-ship:${drawId}`,
        );
        await deps.outbox.record(EventName.DRAW_PRIZE_SHIPPED, drawId, { drawId, activityId: doc.activityId, customerId: doc.customerId, prizeCode: doc.prizeCode });
      }
      return { drawId, carrier: shipment.carrier, trackingNo: shipment.trackingNo, shippedAt: shipment.at.toISOString() };
    },

    /**
     * The draw's books, checked from what is stored: wins per prize within its quantity and
     * caps and matching its stream, a mall-item prize's published quantity set aside, every win
     * carried out (points paid in the reward engine's books, a coupon's code given), each
     * customer's chances adding up, one outcome per spent chance, points bought equal to points
     * debited, and every outcome reproduced by re-running its selection.
     */
    async invariants(principal: Principal, id: string) {
      const view = await drawOf(principal, id);
      const settings = view.live.settings;
      const results = await records.ofActivity(view._id);
      const violations: string[] = [];
      const byPrize = new Map<string, DrawDoc[]>();
      for (const r of results) byPrize.set(r.prizeCode, [...(byPrize.get(r.prizeCode) ?? []), r]);

      for (const p of settings.prizes) {
        const won = byPrize.get(p.code) ?? [];
        if (p.kind === 'mall_item') {
          const aside = await deps.mallPrizes.setAsideFor(view._id, p);
          if (aside !== p.quantity) violations.push(`prize ${p.code}: ${p.quantity} published, ${aside} units set aside`);
        }
        if (p.quantity !== undefined) {
          const held = await stock.holders(view._id, p.code);
          if (!held.contiguous) violations.push(`prize ${p.code}: its stream's running count is broken`);
          if (held.won > p.quantity) violations.push(`prize ${p.code}: ${held.won} won, quantity ${p.quantity}`);
          const recorded = new Set(won.map((r) => r._id));
          const unmatched = held.drawIds.filter((d) => !recorded.has(d));
          if (held.drawIds.length !== won.length || unmatched.length) violations.push(`prize ${p.code}: ${held.drawIds.length} units taken, ${won.length} results`);
        }
        const perDay = new Map<string, number>();
        const perCustomer = new Map<string, number>();
        for (const r of won) {
          perDay.set(r.day, (perDay.get(r.day) ?? 0) + 1);
          perCustomer.set(r.customerId, (perCustomer.get(r.customerId) ?? 0) + 1);
        }
        for (const [day, n] of perDay) if (p.dailyCap !== undefined && n > p.dailyCap) violations.push(`prize ${p.code}: ${n} won on ${day}, daily cap ${p.dailyCap}`);
        for (const [c, n] of perCustomer)
          if (p.perCustomerCap !== undefined && n > p.perCustomerCap) violations.push(`prize ${p.code}: customer ${c} won ${n}, cap ${p.perCustomerCap}`);
      }

      // A decided win is carried out: paid, or still in flight (its draw's marker is there, the sweep finishes it).
      for (const r of results.filter((d) => d.won && (d.kind === 'points' || d.kind === 'coupon'))) {
        const paid =
          r.kind === 'points' ? (await deps.rewards.stateOf(rewardOfDraw(view, r))) === 'issued' : (await deps.codes.assigned(poolOf(view._id, r.prizeCode), r._id)) !== null;
        if (!paid && !(await records.isInFlight(r._id)))
          violations.push(`draw ${r._id}: won ${r.prizeCode} (${r.kind === 'points' ? `${r.points} 积分` : r.prizeName}) but not paid`);
      }

      for (const r of results) {
        const again = rerun(view, r);
        if (again.prize !== r.prizeCode || again.path.some((code, i) => i < r.attempts.length && r.attempts[i].code !== code)) {
          violations.push(`draw ${r._id}: re-run gives ${again.prize}, stored ${r.prizeCode}`);
        }
      }

      const customers = await chances.customersOf(view._id);
      const resultsOf = new Map<string, number>();
      for (const r of results) resultsOf.set(r.customerId, (resultsOf.get(r.customerId) ?? 0) + 1);
      for (const customerId of customers) {
        const entries = await chances.readAll(view._id, customerId);
        let balance = 0;
        let spends = 0;
        for (const e of entries) {
          balance += e.data.change;
          if (e.data.balance !== balance || balance < 0) violations.push(`customer ${customerId}: chances ${e.data.balance} at entry ${e.seq}, expected ${balance}`);
          if (e.data.op === 'spend') spends += 1;
          if (e.data.op === 'buy') {
            const debit = await deps.points.findByKey(customerId, `draw-buy:${e.data.ref}`);
            if (!debit || debit.data.amount !== -settings.costPoints)
              violations.push(`customer ${customerId}: chance bought in ${e.data.ref} without its ${settings.costPoints} points debited`);
          }
        }
        const last = entries[entries.length - 1]?.data;
        if (last && last.granted + last.bought - last.spent !== last.balance)
          violations.push(`customer ${customerId}: granted ${last.granted} + bought ${last.bought} − spent ${last.spent} ≠ ${last.balance}`);
        const undecided = last?.pending && (await records.isInFlight(last.pending)) ? 1 : 0;
        const outcomes = resultsOf.get(customerId) ?? 0;
        if (outcomes !== spends - undecided) violations.push(`customer ${customerId}: ${spends} chances spent, ${outcomes} outcomes`);
      }
      return { activityId: view._id, checkedDraws: results.length, checkedCustomers: customers.length, violations };
    },
  };
}

export type DrawAdminService = ReturnType<typeof createDrawAdminService>;
