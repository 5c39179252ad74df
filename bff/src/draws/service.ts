import type { ActivityInput, Reward } from '@shared/contracts/activities';
import type { DrawOutcome, DrawPrize, MyDraw, MyDrawPrize } from '@shared/contracts/draws';
import { EventName } from '@shared/events';
import type { LiveView, ActivityView } from '@/activities';
import { maskAddress, type AddressBook } from '@/customers';
import type { CodePools } from '@/kernel/code-pools';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import type { Outbox } from '@/platform/outbox';
import type { RateLimiter } from '@/platform/rate-limit';
import type { StreamEntry } from '@/platform/stream';
import { alongside } from '@/platform/alongside';
import { bankDay, endOfBankDay } from '@/platform/time';
import type { PointsAccounts } from '@/platform/directory';
import type { RewardEngine, RewardRequest } from '@/rewards';
import type { ChanceData, Chances } from './chances';
import { drawRandom, effectiveWeights, pick, publishedOdds } from './odds';
import type { PrizeStock } from './prize-stock';
import type { DrawDoc, DrawRecords } from './results';
import type { PrizeDelivery } from './delivery';
import type { DrawMallPrizes } from './mall-prizes';
import { idempotentId } from '@/kernel/ids';

export type DrawView = LiveView & { live: Extract<ActivityInput, { type: 'draw' }> };

const DAY_MS = 24 * 60 * 60 * 1000;
/** How many draws' views one process remembers. */
const SEEN_DRAWS = 1_000;
export const poolOf = (activityId: string, code: string) => `draw:${activityId}:${code}`;
/**
 * The reward a points prize pays, through the draw's budget. A draw decided since budgets are
 * reserved with the unit (`reserved`) pays under `<draw>:<prize>`, so a budget given back with a
 * refused attempt never stands in the way of another prize of the same draw; older ones under the
 * draw's id. A draw's prizes differ in size, so its budget is never split over shares.
 */
function prizeReward(
  view: Pick<DrawView, '_id' | 'live'>,
  doc: { drawId: string; customerId: string; prizeCode: string; prizeName: string; points: number; reserved: boolean },
): RewardRequest {
  return {
    activityId: view._id,
    customerId: doc.customerId,
    reason: 'draw',
    source: doc.reserved ? `${doc.drawId}:${doc.prizeCode}` : doc.drawId,
    reward: { kind: 'points', amount: doc.points },
    budget: view.live.budget,
    description: `抽奖中奖：${doc.prizeName}`,
    split: false,
  };
}
export const rewardOfDraw = (view: Pick<DrawView, '_id' | 'live'>, doc: DrawDoc) =>
  prizeReward(view, { drawId: doc._id, customerId: doc.customerId, prizeCode: doc.prizeCode, prizeName: doc.prizeName, points: doc.points ?? 0, reserved: doc.reserved === true });

/** Draw chances a reward pays: the rewards of an activity (and an invite's welcome reward), with where each sits in the input. */
const chanceRewards = (activity: ActivityInput): { path: string; reward: Extract<Reward, { kind: 'draw_chance' }> }[] =>
  [
    { path: 'reward', reward: activity.reward },
    { path: 'settings.welcomeReward', reward: activity.type === 'invite' ? activity.settings.welcomeReward : undefined },
  ].flatMap(({ path, reward }) => (reward?.kind === 'draw_chance' ? [{ path, reward }] : []));

/** For the sweep: a purchase that lapsed has had its points refunded, and is finished. */
const lapsedIsDone = (err: unknown) => {
  if (!(err instanceof AppError && err.code === 'DRAW_PURCHASE_LAPSED')) throw err;
};

/** What a draw's prize state is now: one that ships is claimed with an address, then shipped, or lapses. */
function stateOf(doc: DrawDoc, claimed: boolean, shipped: boolean, now: Date): MyDrawPrize['state'] {
  if (!doc.won) return 'none';
  if (!doc.claimBy) return 'issued';
  if (shipped) return 'shipped';
  if (claimed) return 'claimed';
  return doc.claimBy && now > doc.claimBy ? 'expired' : 'to_claim';
}

/**
 * 抽奖: a customer spends one chance per draw; the server picks the prize with a cryptographic
 * random number from the prizes still available (see odds), takes its unit from the prize's
 * stream, and records the result once. Every step is keyed by the draw, so a retry, a second
 * process or the sweep finishes a draw where it stopped and never pays twice.
 */
export function createDrawService(deps: {
  clock: Clock;
  live: (customerId: string, id: string, options?: { browsing?: boolean }) => Promise<LiveView>;
  /** Every live activity, and those the customer may take part in. */
  liveViews: (now: Date) => Promise<ActivityView[]>;
  eligibleLive: (customerId: string) => Promise<LiveView[]>;
  /** A draw as published, whether or not the customer may still draw (for prizes already won, and recovery). */
  findView: (id: string) => Promise<ActivityView | null>;
  idForCode: (code: string) => Promise<string | null>;
  chances: Chances;
  stock: PrizeStock;
  records: DrawRecords;
  codes: CodePools;
  addresses: AddressBook;
  mallPrizes: DrawMallPrizes;
  delivery: PrizeDelivery;
  rewards: RewardEngine;
  points: PointsAccounts;
  outbox: Outbox;
  rateLimiter: RateLimiter;
  perMinute: number;
  faults: Faults;
  /** Runs each item of a sweep alone, counted in the job books (a failing one is parked after a few tries). */
  books: Pick<JobBooks, 'each'>;
}) {
  const { clock, chances, stock, records } = deps;
  const { customerOf } = deps.chances;
  // Each draw as this process last saw it (a hint: what is in stock is read by its prizes beside the draw's own read).
  const seenDraws = new Map<string, DrawView>();

  /** An approved draw that has not started yet: its rules are published, drawing waits. */
  async function upcoming(id: string): Promise<DrawView | null> {
    const view = await deps.findView(id);
    const ok = view?.live?.type === 'draw' && !view.withdrawn && view.liveStart !== null && clock.now() < view.liveStart;
    return ok ? (view as DrawView) : null;
  }

  async function drawFor(customerId: string, id: string, options: { browsing?: boolean } = {}): Promise<DrawView> {
    let view: LiveView;
    try {
      view = await deps.live(customerId, id, options);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND' && (await upcoming(id))) throw new AppError('ACTIVITY_NOT_LIVE', { message: '抽奖活动尚未开始' });
      throw err;
    }
    if (view.live.type !== 'draw') throw new AppError('NOT_FOUND');
    return view as DrawView;
  }

  /** The draw a draw_chance reward names, if chances can be paid into it now: approved, not withdrawn, not ended. */
  async function chanceTarget(drawCode: string): Promise<DrawView | null> {
    const id = await deps.idForCode(drawCode);
    const view = id ? await deps.findView(id) : null;
    const ok = view?.live?.type === 'draw' && !view.withdrawn && view.liveEnd !== null && clock.now() < view.liveEnd;
    return ok ? (view as DrawView) : null;
  }

  /**
   * Takes what a win of this prize needs, all in the one decision: its unit (within its quantity,
   * codes or set-aside units, and its daily cap) and, for points, the reward from the draw's
   * budget. False, with whatever was taken given back, when any of them is not there.
   */
  async function takeFor(view: DrawView, spend: StreamEntry<ChanceData>, prize: DrawPrize): Promise<boolean> {
    const drawId = spend.data.ref;
    const unit = stock.take(view._id, prize, await capOf(view._id, prize), drawId, spend.data.day);
    if (prize.kind !== 'points') return unit;
    const reward = prizeReward(view, { drawId, customerId: customerOf(spend), prizeCode: prize.code, prizeName: prize.name, points: prize.points!, reserved: true });
    if (await deps.rewards.reserve(reward, unit)) return true;
    if (await unit) await stock.release(view._id, prize, drawId, spend.data.day); // the budget refused it
    return false;
  }

  /** Gives back what this draw may hold for a prize it did not keep (nothing if it holds nothing). */
  async function giveBack(view: DrawView, spend: StreamEntry<ChanceData>, prize: DrawPrize): Promise<void> {
    const drawId = spend.data.ref;
    await stock.release(view._id, prize, drawId, spend.data.day);
    if (prize.kind === 'points')
      await deps.rewards.release(prizeReward(view, { drawId, customerId: customerOf(spend), prizeCode: prize.code, prizeName: prize.name, points: prize.points!, reserved: true }));
  }

  /** How many of a prize can be won: its quantity, or fewer coupon codes uploaded, or fewer mall units set aside. */
  async function capOf(activityId: string, prize: DrawPrize): Promise<number> {
    if (prize.kind === 'mall_item') return deps.mallPrizes.cap(activityId, prize);
    if (prize.kind !== 'coupon') return prize.quantity!;
    return Math.min(prize.quantity!, await deps.codes.poolSize(poolOf(activityId, prize.code)));
  }

  /** The real prizes with a unit left today, before per-customer caps. */
  async function inStock(view: DrawView, day: string): Promise<Set<string>> {
    const { prizes, fallbackCode } = view.live.settings;
    const open = await Promise.all(
      prizes.map(async (p) => {
        if (p.code === fallbackCode) return false;
        if ((await stock.won(view._id, p.code)) >= (await capOf(view._id, p))) return false;
        return p.dailyCap === undefined || (await stock.wonOn(view._id, p.code, day)) < p.dailyCap;
      }),
    );
    return new Set(prizes.filter((_, i) => open[i]).map((p) => p.code));
  }

  /**
   * Decides a spent chance: picks with the spend's random number among the prizes available to
   * it, tries to take the unit, and on a refusal (another draw took the last) picks again
   * without it. Each attempt is recorded once, so every run of this draw follows the same path.
   */
  async function decide(view: DrawView, spend: StreamEntry<ChanceData>, prior = priorOf(spend.data.ref)): Promise<DrawDoc> {
    const drawId = spend.data.ref;
    const [known, first] = await prior;
    if (known) return known;
    const settings = view.live.settings;
    const available = new Set(spend.data.available ?? []);
    const attempts: DrawDoc['attempts'] = [];
    const ships = async (prize: DrawPrize) => prize.kind === 'physical' || (prize.kind === 'mall_item' && (await deps.mallPrizes.ships(prize)));
    const decision = (prize: DrawPrize, ship: boolean, tried: DrawDoc['attempts']): DrawDoc => ({
      _id: drawId,
      activityId: view._id,
      customerId: customerOf(spend),
      revision: view.liveRevision ?? 0,
      random: spend.data.random!,
      guaranteed: spend.data.guaranteed === true,
      available: spend.data.available ?? [],
      attempts: tried,
      prizeCode: prize.code,
      prizeName: prize.name,
      kind: prize.kind,
      won: prize.kind !== 'none',
      points: prize.points ?? null,
      ...(prize.itemCode ? { itemCode: prize.itemCode } : {}),
      day: spend.data.day,
      at: spend.at,
      claimBy: ship ? endOfBankDay(new Date(spend.at.getTime() + (settings.claimDays - 1) * DAY_MS)) : null,
      reserved: true,
    });
    let code = settings.fallbackCode;
    for (let i = 0; ; i++) {
      code = pick(spend.data.random!, effectiveWeights(settings, available, spend.data.guaranteed === true));
      if (code === settings.fallbackCode) break;
      const prize = settings.prizes.find((p) => p.code === code)!;
      let attempt = i === 0 ? first : await records.attempt(drawId, i);
      if (!attempt) {
        const [took, ship] = await Promise.all([takeFor(view, spend, prize), ships(prize)]);
        deps.faults.hit('after:draw.taken');
        await deps.faults.pause('after:draw.taken');
        if (took) {
          // The attempt that wins and the decision it makes go in together, the decision only if the attempt did.
          const recorded = await records.decideWith(i, decision(prize, ship, [...attempts, { code, ok: true }]));
          if ('decided' in recorded) return recorded.decided;
          attempt = recorded.attempt; // another run of this draw recorded it first
        } else attempt = await records.recordAttempt(drawId, i, code, false);
      }
      // Recorded as refused (by this run, or by another run of the same draw first): whatever a run
      // took for it goes back, to the prize's total and day and to the budget, whether that run is
      // this one or one that died after taking.
      if (!attempt.ok) await giveBack(view, spend, prize);
      attempts.push({ code: attempt.code, ok: attempt.ok });
      if (attempt.ok) break;
      available.delete(code);
    }
    const prize = settings.prizes.find((p) => p.code === code)!;
    return records.decide(decision(prize, await ships(prize), attempts));
  }

  /**
   * Pays what was won (points through the reward engine, a coupon code from the prize's pool) and
   * closes the draw. Each part is keyed by the draw and needs none of the others, so they go
   * together; a run cut short is run again whole (the next tap, or the sweep).
   */
  async function fulfil(view: DrawView, doc: DrawDoc): Promise<StreamEntry<ChanceData> | null> {
    const [, , , , , settled] = await Promise.all([
      // Reserved with the unit when the draw was decided, and kept (the decision names it): paying it cannot be refused.
      doc.kind === 'points' ? deps.rewards.issue(rewardOfDraw(view, doc), { kept: true }) : null,
      doc.kind === 'coupon' ? deps.codes.assign(poolOf(view._id, doc.prizeCode), doc._id) : null,
      doc.kind === 'mall_item' && !doc.claimBy ? deps.mallPrizes.issue(doc, doc.itemCode!, null) : null,
      doc.won ? records.addWin(doc.customerId, doc._id) : null,
      deps.outbox.record(EventName.DRAW_DRAWN, doc._id, {
        drawId: doc._id,
        activityId: view._id,
        customerId: doc.customerId,
        prizeCode: doc.prizeCode,
        won: doc.won,
        guaranteed: doc.guaranteed,
      }),
      chances.settle(view._id, doc.customerId, doc._id, doc.prizeCode, doc.won),
    ]);
    // The customer's chances as this draw left them; none when an earlier run recorded the outcome.
    return settled.duplicate ? null : settled.entry;
  }

  /**
   * What earlier runs of a draw recorded: its decision and its first attempt; not read by the run
   * whose spend was the first (no run can precede it). Another run may record either at any time:
   * the inserts that record them settle who was first, not these reads.
   */
  const priorOf = (drawId: string) => Promise.all([records.find(drawId), records.attempt(drawId, 0)]);

  /**
   * Decides and pays a spent chance, and removes its in-flight marker (beside what a request does
   * next, before it answers: left behind the answer, a burst of markers cleared at once cost the
   * hot draw's throughput a quarter, see performance.md). `chancesAfter`: the customer's chances as it left them, when it settled them.
   */
  async function complete(view: DrawView, spend: StreamEntry<ChanceData>, prior?: ReturnType<typeof priorOf>) {
    const doc = await decide(view, spend, prior);
    deps.faults.hit('after:draw.decided');
    const chancesAfter = await fulfil(view, doc);
    await alongside(records.clearInFlight(doc._id));
    return { doc, chancesAfter };
  }

  /** Finishes the customer's draw left undecided (a crash, or a tap still in flight), if any. */
  async function finishPending(view: DrawView, customerId: string, except?: string, read = chances.head(view._id, customerId)): Promise<void> {
    const head = await read;
    const pending = head?.data.pending;
    if (!pending || pending === except) return;
    const spend = await chances.findSpend(view._id, customerId, pending);
    if (spend) await complete(view, spend);
  }

  // Given when the draw was fulfilled: read back, not assigned again.
  const couponOf = async (doc: DrawDoc) => (doc.kind === 'coupon' ? deps.codes.assigned(poolOf(doc.activityId, doc.prizeCode), doc._id) : null);

  async function outcome(view: DrawView, doc: DrawDoc, chancesAfter: StreamEntry<ChanceData> | null = null): Promise<DrawOutcome> {
    const [delivery, head] = await Promise.all([deps.delivery.of(doc), chancesAfter ?? chances.head(view._id, doc.customerId)]);
    return {
      drawId: doc._id,
      prizeCode: doc.prizeCode,
      prizeName: doc.prizeName,
      kind: doc.kind,
      won: doc.won,
      guaranteed: doc.guaranteed,
      cellIndex: view.live.settings.prizes.findIndex((p) => p.code === doc.prizeCode),
      state: stateOf(doc, delivery.claim !== null, delivery.shipped, clock.now()),
      points: doc.points,
      couponCode: await couponOf(doc),
      claimBy: doc.claimBy?.toISOString() ?? null,
      chancesLeft: chances.state(head).balance,
      at: doc.at.toISOString(),
    };
  }

  async function myPrize(doc: DrawDoc, view: ActivityView | null): Promise<MyDrawPrize> {
    const delivery = await deps.delivery.of(doc);
    const terms = view?.live?.type === 'draw' ? view.live.settings.prizes.find((p) => p.code === doc.prizeCode) : undefined;
    const validDays = doc.kind === 'coupon' ? (terms?.validDays ?? 30) : null;
    return {
      drawId: doc._id,
      activityId: doc.activityId,
      activityTitle: view?.live?.title ?? '抽奖活动',
      prizeName: doc.prizeName,
      kind: doc.kind,
      state: stateOf(doc, delivery.claim !== null, delivery.shipped, clock.now()),
      points: doc.points,
      couponCode: await couponOf(doc),
      validUntil: validDays ? endOfBankDay(new Date(doc.at.getTime() + (validDays - 1) * DAY_MS)).toISOString() : null,
      claimBy: doc.claimBy?.toISOString() ?? null,
      orderId: delivery.orderId,
      shipping: delivery.claim ? { ...maskAddress(delivery.claim), carrier: delivery.carrier, trackingNo: delivery.trackingNo } : null,
      at: doc.at.toISOString(),
    };
  }

  /**
   * Turns a paid purchase into its chance, and returns the customer's chances as the grant left
   * them (null when an earlier run granted it). The sweep may have given its place back first,
   * taking it for unpaid while the debit was still on its way: then the points go back. The
   * purchase's marker goes once it is settled (beside what a request does next, before it
   * answers); a failure that settled nothing leaves it for the sweep, which finds the debit and finishes.
   */
  async function completePurchase(activityId: string, customerId: string, purchaseId: string): Promise<StreamEntry<ChanceData> | null> {
    let granted: Awaited<ReturnType<Chances['grant']>>;
    try {
      deps.faults.hit('before:draw.granted');
      granted = await chances.grant(activityId, customerId, 1, purchaseId, 'buy');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'DRAW_PURCHASE_LAPSED')) throw err;
      await deps.points.refund(customerId, `draw-buy:${purchaseId}`, `draw-buy-refund:${purchaseId}`, '抽奖机会兑换未完成，积分退回', { activityId });
      await records.clearInFlight(purchaseId);
      throw err;
    }
    await alongside(records.clearInFlight(purchaseId));
    return granted.duplicate ? null : granted.entry;
  }

  /** The published draw of a record: what was won stays readable after the draw ends. */
  async function publishedDraw(id: string): Promise<DrawView | null> {
    const view = await deps.findView(id);
    return view?.live?.type === 'draw' ? (view as DrawView) : null;
  }

  return {
    drawFor,
    complete,
    capOf,

    /** The published draw; before consent (`browsing`) it is read without entering the customer into its experiment. */
    async get(customerId: string, id: string, browsing = false): Promise<MyDraw> {
      // Published from approval on (开奖前公示): before the start, the rules are read with drawing closed.
      let view: DrawView;
      let started = true;
      try {
        view = await drawFor(customerId, id, { browsing });
      } catch (err) {
        const early = err instanceof AppError && err.code === 'ACTIVITY_NOT_LIVE' ? await upcoming(id) : null;
        if (!early) throw err;
        view = early;
        started = false;
      }
      const settings = view.live.settings;
      const now = clock.now();
      const [head, open] = await Promise.all([chances.head(view._id, customerId), inStock(view, bankDay(now))]);
      const state = chances.state(head);
      const odds = publishedOdds(settings);
      const prizes = await Promise.all(
        settings.prizes.map(async (p) => ({
          code: p.code,
          name: p.name,
          kind: p.kind,
          quantity: p.quantity ?? null,
          left: p.quantity === undefined ? null : Math.max(0, (await capOf(view._id, p)) - (await stock.won(view._id, p.code))),
          oddsPercent: odds.get(p.code)!,
          dailyCap: p.dailyCap ?? null,
          perCustomerCap: p.perCustomerCap ?? null,
          validDays: p.kind === 'coupon' ? (p.validDays ?? 30) : null,
        })),
      );
      return {
        activityId: view._id,
        title: view.live.title,
        rules: view.live.rules,
        startAt: view.liveStart!.toISOString(),
        endAt: view.liveEnd!.toISOString(),
        open: started,
        prizes,
        fallbackCode: settings.fallbackCode,
        chances: state.balance,
        costPoints: settings.costPoints,
        drawsLeft: chances.quotasLeft(state, settings.quotas, now),
        guarantee: settings.guarantee ? { afterLosses: settings.guarantee.afterLosses, lossesSoFar: state.losses } : null,
        claimDays: settings.claimDays,
        allSoldOut: open.size === 0,
      };
    },

    /** One draw; the same Idempotency-Key always answers with the same outcome. */
    async draw(customerId: string, id: string, key: string): Promise<DrawOutcome> {
      // The draw's id comes from the activity's id as asked (the view found has that id): its record is read beside the activity.
      const drawId = idempotentId(['draw', customerId, id], key, { length: 24 });
      const day = bankDay(clock.now());
      // Everything the spend waits for goes beside the activity's read: the marker (in before anything is spent), the
      // customer's chances, the points account a points prize pays into, and what is in stock by the prizes of the draw as
      // this process last saw it (read again below if the activity changed since).
      const marked = records.markInFlight({ _id: drawId, kind: 'draw', activityId: id, customerId });
      const seen = seenDraws.get(id);
      const ahead = {
        chances: chances.head(id, customerId),
        open: seen ? inStock(seen, day) : null,
        prefetch: !seen || seen.live.settings.prizes.some((p) => p.kind === 'points') ? deps.points.prefetch(customerId) : null,
      };
      for (const read of Object.values(ahead)) read?.catch(() => undefined); // awaited below, unless a refusal comes first
      // The rate limit is taken beside them: a refusal leaves nothing behind, the marker taken away again (a retry of a draw
      // already made is answered whatever it says).
      let view: DrawView;
      let done: DrawDoc | null;
      let limit: unknown;
      try {
        [view, done, limit] = await Promise.all([
          drawFor(customerId, id),
          records.find(drawId),
          deps.rateLimiter.consume(`draw:${customerId}`, deps.perMinute, 60).then(
            () => null,
            (err: unknown) => err,
          ),
        ]);
        if (!done && limit) throw limit;
      } catch (err) {
        if (await marked.catch(() => false)) await records.clearInFlight(drawId); // ours, not a concurrent retry's
        throw err;
      }
      seenDraws.delete(id);
      seenDraws.set(id, view);
      if (seenDraws.size > SEEN_DRAWS) seenDraws.delete(seenDraws.keys().next().value as string);
      if (done) {
        if (await marked.catch(() => false)) await records.clearInFlight(drawId);
        await fulfil(view, done); // again, in case a crash cut it short: every part is keyed
        return outcome(view, done);
      }
      const settings = view.live.settings;
      for (let tries = 0; ; tries++) {
        const first = tries === 0;
        const marking = first ? marked : records.markInFlight({ _id: drawId, kind: 'draw', activityId: view._id, customerId });
        try {
          // What is in stock is read beside them: a unit a finished draw takes meanwhile is refused when taken, and picked again without.
          const [, open] = await Promise.all([
            finishPending(view, customerId, drawId, first ? ahead.chances : undefined),
            first && seen && ahead.open && seen.liveRevision === view.liveRevision ? ahead.open : inStock(view, bankDay(clock.now())),
            first ? ahead.prefetch : null,
            marking,
          ]);
          const { entry, duplicate } = await chances.spend(view._id, customerId, drawId, {
            quotas: settings.quotas,
            guaranteeAfter: settings.guarantee?.afterLosses ?? null,
            random: drawRandom,
            available: (s) => settings.prizes.filter((p) => open.has(p.code) && (p.perCustomerCap === undefined || (s.wins[p.code] ?? 0) < p.perCustomerCap)).map((p) => p.code),
          });
          deps.faults.hit('after:draw.spent');
          // A chance this run spent has no earlier run that decided or attempted it; one a concurrent retry spent may.
          const { doc, chancesAfter } = await complete(view, entry, duplicate ? priorOf(drawId) : Promise.resolve([null, null] as const));
          return await outcome(view, doc, chancesAfter);
        } catch (err) {
          await marking.catch(() => undefined);
          // Nothing was spent: nothing to finish later.
          if (err instanceof AppError && (await chances.findSpend(view._id, customerId, drawId)) === null) await records.clearInFlight(drawId);
          // Another draw of this customer started meanwhile: finish it, then this one.
          if (err instanceof AppError && err.code === 'DRAW_IN_PROGRESS' && tries < 3) continue;
          throw err;
        }
      }
    },

    /** Buys one chance with points: debited once per Idempotency-Key, however often it is retried. */
    async buy(customerId: string, id: string, key: string) {
      // The purchase's id comes from the activity's id as asked (the view found has that id). Whether it was made already,
      // its marker and the account its price is taken from are read and written beside the activity and the rate limit:
      // a refusal, or a purchase made already, takes the marker away again (unless a concurrent retry wrote it).
      const purchaseId = idempotentId(['buy', customerId, id], key, { length: 24 });
      const marked = records.markInFlight({ _id: purchaseId, kind: 'purchase', activityId: id, customerId });
      const unmark = async () => {
        if (await marked.catch(() => false)) await records.clearInFlight(purchaseId);
      };
      const [found, ...others] = await Promise.allSettled([
        chances.findGrant(id, customerId, purchaseId, 'buy'),
        marked,
        deps.points.prefetch(customerId),
        drawFor(customerId, id),
        deps.rateLimiter.consume(`draw-buy:${customerId}`, deps.perMinute, 60),
      ]);
      const [, , viewRead, limit] = others;
      // What the activity's read says first (not found, not live), then any other failure; then the refusals.
      const failed = [viewRead, found, ...others.slice(0, 2)].find((c): c is PromiseRejectedResult => c.status === 'rejected');
      if (failed) {
        await unmark();
        throw failed.reason;
      }
      const view = (viewRead as PromiseFulfilledResult<DrawView>).value;
      const bought = (found as PromiseFulfilledResult<StreamEntry<ChanceData> | null>).value;
      const { costPoints, quotas } = view.live.settings;
      const refusal = costPoints === 0 ? new AppError('DRAW_NOT_FOR_SALE') : !bought && limit.status === 'rejected' ? (limit.reason as unknown) : null;
      if (bought || refusal) await unmark();
      if (refusal) throw refusal;
      if (!bought) {
        // A chance that could never be used is not sold: its place is held before its points are taken.
        try {
          await chances.reserve(view._id, customerId, purchaseId, quotas.total);
        } catch (err) {
          await records.clearInFlight(purchaseId);
          throw err;
        }
        await deps.faults.pause('after:draw.reserved');
        try {
          await deps.points.spend(customerId, costPoints, `draw-buy:${purchaseId}`, `兑换抽奖机会：${view.live.title}`, { activityId: view._id });
        } catch (err) {
          // Refused for want of points: nothing was taken. Any other failure (a busy database too: its write may have landed)
          // may have taken them: the marker stays for the sweep, which looks the debit up and finishes or gives the place back.
          if (err instanceof AppError && err.code === 'POINTS_INSUFFICIENT') {
            await chances.release(view._id, customerId, purchaseId);
            await records.clearInFlight(purchaseId);
          }
          throw err;
        }
        deps.faults.hit('after:draw.debited');
      }
      // The balance is read once the debit is in, beside the grant.
      const [after, balance] = await Promise.all([
        bought ? chances.head(view._id, customerId) : completePurchase(view._id, customerId, purchaseId),
        deps.points.balance(customerId),
      ]);
      const head = after ?? (await chances.head(view._id, customerId)); // granted by a concurrent retry of this purchase
      return { chances: chances.state(head).balance, pointsSpent: costPoints, balance: balance.balance };
    },

    /**
     * Chances a check-in earns: from each live draw the customer may enter whose 签到送机会
     * milestone this streak reaches, once per draw, customer and day.
     */
    async grantForCheckin(customerId: string, day: string, streak: number) {
      const reached = ({ live }: ActivityView | LiveView) => {
        const rule = live?.type === 'draw' ? live.settings.checkinChances : undefined;
        return rule && streak % rule.everyDays === 0 ? rule.chances : 0;
      };
      // Most days reach no draw's milestone: then the customer's eligibility is not read at all.
      if (!(await deps.liveViews(clock.now())).some(reached)) return [];
      const earned = (await deps.eligibleLive(customerId)).flatMap((v) => (reached(v) ? [{ view: v, chances: reached(v) }] : []));
      for (const { view, chances: count } of earned) await chances.grant(view._id, customerId, count, `checkin:${view._id}:${customerId}:${day}`);
      return earned.map(({ view, chances: count }) => ({ activityId: view._id, title: view.live.title, chances: count }));
    },

    /** Chances a reward pays (a task, a quiz pass): for the draw named by its code, once per reward. */
    async grantFromReward(drawCode: string, customerId: string, count: number, rewardId: string): Promise<void> {
      const activityId = await deps.idForCode(drawCode);
      if (activityId) await chances.grant(activityId, customerId, count, rewardId);
    },

    /** Whether draw chances for this draw can be paid now (the reward engine asks before taking from a budget). */
    chancesPayable: async (drawCode: string) => (await chanceTarget(drawCode)) !== null,

    /** Why the chances a reward paid are not in the draw it names; null when they are (for the reward engine's books). */
    async chancesMissing(grant: { drawCode: string; customerId: string; rewardId: string }): Promise<string | null> {
      const activityId = await deps.idForCode(grant.drawCode);
      if (!activityId) return 'no such draw';
      return (await chances.findGrant(activityId, grant.customerId, grant.rewardId, 'grant')) ? null : 'not in the draw';
    },

    /**
     * Refuses, at submission and at approval, an activity whose reward is draw chances that could
     * not be paid: no draw named, or one that does not exist, is not a draw, was withdrawn or has ended.
     */
    async checkChanceRewards(activity: ActivityInput): Promise<void> {
      const issues: { path: string; message: string }[] = [];
      for (const { path, reward } of chanceRewards(activity)) {
        const at = `${path}.drawCode`;
        if (!reward.drawCode) {
          issues.push({ path: at, message: '抽奖机会须指定抽奖活动编码' });
          continue;
        }
        const id = await deps.idForCode(reward.drawCode);
        const view = id ? await deps.findView(id) : null;
        const content = view?.live ?? view?.workingContent;
        const end = view?.liveEnd ?? (content ? new Date(content.schedule.endAt) : null);
        if (!view || content?.type !== 'draw') issues.push({ path: at, message: `抽奖活动 ${reward.drawCode} 不存在` });
        else if (view.withdrawn || !end || end <= clock.now()) issues.push({ path: at, message: `抽奖活动 ${reward.drawCode} 已下线或已结束` });
      }
      if (issues.length) throw new AppError('VALIDATION_RULE_FAILED', { message: issues.map((i) => i.message).join('；'), issues });
    },

    async prizes(customerId: string, before: number | undefined, limit: number) {
      const entries = await records.winsOf(customerId, before, limit);
      const docs = (await Promise.all(entries.map((e) => records.find(e.data.drawId)))).filter((d): d is DrawDoc => d !== null);
      const views = new Map<string, Promise<DrawView | null>>();
      for (const d of docs) if (!views.has(d.activityId)) views.set(d.activityId, publishedDraw(d.activityId));
      const items = await Promise.all(docs.map(async (d) => myPrize(d, await views.get(d.activityId)!)));
      const last = entries[entries.length - 1];
      return { items, nextBefore: last && last.seq > 1 ? last.seq : null };
    },

    /** Claims a physical prize with one of the customer's saved addresses, within the claim window. */
    async claim(customerId: string, drawId: string, addressId: string): Promise<MyDrawPrize> {
      const doc = await records.find(drawId);
      if (!doc || doc.customerId !== customerId) throw new AppError('NOT_FOUND');
      if (!doc.claimBy) throw new AppError('DRAW_PRIZE_NOT_CLAIMABLE');
      const existing = await records.claim(drawId);
      if (!existing) {
        if (doc.claimBy && clock.now() > doc.claimBy) throw new AppError('DRAW_CLAIM_EXPIRED');
        const address = await deps.addresses.find(customerId, addressId);
        if (!address) throw new AppError('NOT_FOUND', { message: '收货地址不存在' });
        await records.addClaim({ _id: drawId, customerId, name: address.name, phone: address.phone, region: address.region, detail: address.detail, at: clock.now() });
      }
      return myPrize(doc, await publishedDraw(doc.activityId));
    },

    /**
     * Draws and purchases a crash left in flight past a minute: finished, or (a purchase that took
     * no points) its held place given back. Each alone: one that cannot be finished is counted in
     * the job books and tried again next time (parked after failing again and again), and never
     * stops the others. Returns how many were finished.
     */
    async recover(): Promise<number> {
      const marks = await records.inFlightSince(new Date(clock.now().getTime() - 60_000));
      const run = await deps.books.each(
        'draws.inFlight',
        marks,
        (mark) => mark._id,
        async (mark) => {
          if (mark.kind === 'purchase') {
            if (await deps.points.findByKey(mark.customerId, `draw-buy:${mark._id}`)) await completePurchase(mark.activityId, mark.customerId, mark._id).catch(lapsedIsDone);
            else await chances.release(mark.activityId, mark.customerId, mark._id);
          } else {
            const spend = await chances.findSpend(mark.activityId, mark.customerId, mark._id);
            const view = spend ? await publishedDraw(mark.activityId) : null;
            if (spend && view) await complete(view, spend);
          }
          await records.clearInFlight(mark._id);
        },
      );
      return run.done;
    },
  };
}

export type DrawService = ReturnType<typeof createDrawService>;
