import type { ActivityView } from '@/activities';
import { EventName } from '@shared/events';
import { maskPhone } from '@shared/masking';
import { Role } from '@shared/roles';
import { maskAddress } from '@/customers';
import type { CustomerDirectory, PointsAccounts } from '@/platform/directory';
import type { MallOrder } from '@shared/contracts/mall';
import type { CodePools } from '@/kernel/code-pools';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { decodeCursor, encodeCursor } from '@/platform/check-cursor';
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

/** Where a draw's check stands: in its results (after result `results`), or in its customers (after customer `customers`); null: from the first. */
type Position = { results: string | null } | { customers: string | null };
const decodePosition = (cursor: string) =>
  decodeCursor<Position>(cursor, (p) => {
    const at = (key: 'results' | 'customers') =>
      typeof p === 'object' && p !== null && key in p && (p[key as keyof typeof p] === null || typeof p[key as keyof typeof p] === 'string');
    if (at('results')) return { results: (p as { results: string | null }).results };
    if (at('customers')) return { customers: (p as { customers: string | null }).customers };
    return null;
  });

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

  /** Each prize's stream against its quantity and caps: what its units are held by (bounded by the quantity, not the history). */
  async function prizeProblems(view: DrawView): Promise<string[]> {
    const problems: string[] = [];
    for (const p of view.live.settings.prizes) {
      if (p.kind === 'mall_item') {
        const aside = await deps.mallPrizes.setAsideFor(view._id, p);
        if (aside !== p.quantity) problems.push(`prize ${p.code}: ${p.quantity} published, ${aside} units set aside`);
      }
      if (p.quantity === undefined) continue;
      const held = await stock.holders(view._id, p.code);
      if (!held.contiguous) problems.push(`prize ${p.code}: its stream's running count is broken`);
      if (held.won > p.quantity) problems.push(`prize ${p.code}: ${held.won} won, quantity ${p.quantity}`);
      const docs = await Promise.all(held.drawIds.map((d) => records.find(d)));
      const perDay = new Map<string, number>();
      for (const [i, doc] of docs.entries()) {
        if (doc?.prizeCode === p.code) perDay.set(doc.day, (perDay.get(doc.day) ?? 0) + 1);
        else if (doc || !(await records.isInFlight(held.drawIds[i])))
          problems.push(`prize ${p.code}: a unit is held by draw ${held.drawIds[i]}, whose result is ${doc?.prizeCode ?? 'missing'}`);
      }
      for (const [day, n] of perDay) if (p.dailyCap !== undefined && n > p.dailyCap) problems.push(`prize ${p.code}: ${n} won on ${day}, daily cap ${p.dailyCap}`);
    }
    return problems;
  }

  /** One result: reproduced by its selection run again, carried out, holding its unit, and with its chance spent. */
  async function resultProblems(view: DrawView, r: DrawDoc): Promise<string[]> {
    const problems: string[] = [];
    const again = rerun(view, r);
    if (again.prize !== r.prizeCode || again.path.some((code, i) => i < r.attempts.length && r.attempts[i].code !== code)) {
      problems.push(`draw ${r._id}: re-run gives ${again.prize}, stored ${r.prizeCode}`);
    }
    const prize = view.live.settings.prizes.find((p) => p.code === r.prizeCode);
    const [spend, held, paid] = await Promise.all([
      chances.findSpend(view._id, r.customerId, r._id),
      r.won && prize?.quantity !== undefined ? stock.holds(view._id, r.prizeCode, r._id) : true,
      r.kind === 'points' && r.won
        ? deps.rewards.stateOf(rewardOfDraw(view, r)).then((s) => s === 'issued')
        : r.kind === 'coupon' && r.won
          ? deps.codes.assigned(poolOf(view._id, r.prizeCode), r._id).then((c) => c !== null)
          : true,
    ]);
    if (!spend) problems.push(`draw ${r._id}: an outcome without a chance spent`);
    if (!held) problems.push(`draw ${r._id}: won ${r.prizeCode} without holding a unit of it`);
    // A decided win is carried out: paid, or still in flight (its draw's marker is there, the sweep finishes it).
    if (!paid && !(await records.isInFlight(r._id))) problems.push(`draw ${r._id}: won ${r.prizeCode} (${r.kind === 'points' ? `${r.points} 积分` : r.prizeName}) but not paid`);
    return problems;
  }

  /** One customer's chances: adding up entry by entry, purchases debited, one outcome per spent chance, per-customer caps. */
  async function customerProblems(view: DrawView, customerId: string): Promise<string[]> {
    const settings = view.live.settings;
    const problems: string[] = [];
    const entries = await chances.readAll(view._id, customerId);
    let balance = 0;
    for (const e of entries) {
      balance += e.data.change;
      if (e.data.balance !== balance || balance < 0) problems.push(`customer ${customerId}: chances ${e.data.balance} at entry ${e.seq}, expected ${balance}`);
    }
    const buys = entries.filter((e) => e.data.op === 'buy');
    const debits = await Promise.all(buys.map((e) => deps.points.findByKey(customerId, `draw-buy:${e.data.ref}`)));
    for (const [i, debit] of debits.entries())
      if (!debit || debit.data.amount !== -settings.costPoints)
        problems.push(`customer ${customerId}: chance bought in ${buys[i].data.ref} without its ${settings.costPoints} points debited`);
    const last = entries[entries.length - 1]?.data;
    if (last && last.granted + last.bought - last.spent !== last.balance)
      problems.push(`customer ${customerId}: granted ${last.granted} + bought ${last.bought} − spent ${last.spent} ≠ ${last.balance}`);
    const spends = entries.filter((e) => e.data.op === 'spend');
    const outcomes = await Promise.all(spends.map((e) => records.find(e.data.ref)));
    const undecided = spends.filter((_, i) => outcomes[i] === null);
    // The one a draw still in flight has spent has no outcome yet.
    const inFlight = undecided.length === 1 && last?.pending === undecided[0].data.ref && (await records.isInFlight(last.pending));
    if (undecided.length && !inFlight) problems.push(`customer ${customerId}: ${spends.length} chances spent, ${spends.length - undecided.length} outcomes`);
    for (const p of settings.prizes)
      if (p.perCustomerCap !== undefined && (last?.wins[p.code] ?? 0) > p.perCustomerCap)
        problems.push(`prize ${p.code}: customer ${customerId} won ${last!.wins[p.code]}, cap ${p.perCustomerCap}`);
    return problems;
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
              kind: p.kind,
              quantity: p.quantity ?? null,
              won,
              codes: p.kind === 'coupon' ? await deps.codes.status(poolOf(view._id, p.code)) : null,
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

    /**
     * Winners, oldest first, a page. A claimed physical prize's address in full only for those who
     * ship (admins), every such read in the audit trail as the mall's orders do; masked otherwise.
     */
    async winners(principal: Principal, id: string, options: { after?: string; limit: number; addresses: boolean }) {
      const view = await drawOf(principal, id);
      const ships = principal.role === Role.ADMIN && options.addresses;
      const docs = await records.ofActivity(view._id, { wonOnly: true, after: options.after, limit: options.limit });
      const items = await Promise.all(
        docs.map(async (d) => {
          const [customer, delivery] = await Promise.all([deps.customers.findById(d.customerId), deps.delivery.of(d)]);
          const claim = delivery.claim && { name: delivery.claim.name, phone: delivery.claim.phone, region: delivery.claim.region, detail: delivery.claim.detail };
          return {
            drawId: d._id,
            customerId: d.customerId,
            phone: customer?.phone ? maskPhone(customer.phone) : null,
            prizeCode: d.prizeCode,
            prizeName: d.prizeName,
            kind: d.kind,
            guaranteed: d.guaranteed,
            at: d.at.toISOString(),
            claimed: delivery.claim !== null,
            shipped: delivery.shipped,
            address: options.addresses ? claim && (ships ? claim : maskAddress(claim)) : null,
            carrier: delivery.carrier,
            trackingNo: delivery.trackingNo,
          };
        }),
      );
      const shown = items.filter((w) => w.address).map((w) => w.drawId);
      if (ships && shown.length > 0)
        await deps.audit.record(principal, { action: 'draw.addresses_viewed', targetType: 'activity', targetId: view._id, detail: { drawIds: shown } });
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
     * One page of the draw's books, checked from what is stored, in three parts: its prizes
     * (first page: wins within each prize's quantity and daily cap, every unit taken held by a
     * result of that prize or a draw still in flight, a mall-item prize's quantity set aside),
     * then `limit` results at a time (each reproduced by re-running its selection, carried out —
     * points paid in the reward engine's books, a coupon's code given — holding its unit, and
     * with its chance spent), then `limit` customers at a time (chances adding up, points bought
     * equal to points debited, one outcome per spent chance, per-customer caps). A page costs
     * lookups by key for what it checks, never a walk over the draw's history; `complete` on the last.
     */
    async invariants(principal: Principal, id: string, cursor: string | undefined, limit: number) {
      const view = await drawOf(principal, id);
      const position = cursor === undefined ? { results: null } : decodePosition(cursor);
      const violations: string[] = [];
      const page = (checked: { draws: number; customers: number }, next: Position | null) => ({
        activityId: view._id,
        checkedDraws: checked.draws,
        checkedCustomers: checked.customers,
        violations,
        next: next && encodeCursor(next),
        complete: next === null,
      });

      if ('results' in position) {
        if (position.results === null) violations.push(...(await prizeProblems(view)));
        const results = await records.ofActivity(view._id, { after: position.results ?? undefined, limit });
        for (const problems of await Promise.all(results.map((r) => resultProblems(view, r)))) violations.push(...problems);
        return page({ draws: results.length, customers: 0 }, results.length === limit ? { results: results[results.length - 1]._id } : { customers: null });
      }
      const customers = await chances.customersPage(view._id, position.customers, limit);
      for (const problems of await Promise.all(customers.map((c) => customerProblems(view, c)))) violations.push(...problems);
      return page({ draws: 0, customers: customers.length }, customers.length === limit ? { customers: customers[customers.length - 1] } : null);
    },
  };
}

export type DrawAdminService = ReturnType<typeof createDrawAdminService>;
