import { PARTICIPATION_CHANNELS, PROGRAMME_METRICS, type Cockpit, type CockpitFigures, type MyPerformance, type TargetRow } from '@shared/contracts/programme';
import { EventName } from '@shared/events';
import { maskName } from '@shared/masking';
import type { Scope } from '@/platform/auth/scope';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { CustomerDirectory, OrgDirectory, OrgUnit, StaffDirectory, StaffMember } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { FeedEvent } from '@/platform/event-feed';
import { channelsOf, conversionsOf, dailyActive, figuresOf, participations } from './figures';
import { arrivalOf, counts, derive, isStaffWork, namedManager, type ArrivalDoc, type CockpitMarks, type MarkDoc, type OfferDoc, type Place } from './marks';
import { bankMonth, currentPeriods, periodRange, periodView, type PeriodRange } from './period';
import type { TargetBooks } from './targets';

/** One entry of the points ledger as the cockpit books it. */
export type PointsEntry = { customerId: string; seq: number; at: Date; type: 'earn' | 'spend' | 'expire' | 'refund' | 'adjust'; amount: number; balance: number };

/** Marketing task completion of some managers over a period, when the task module provides it. */
export type TaskCompletion = (rmIds: string[], period: PeriodRange) => Promise<{ assigned: number; completed: number }>;

export type CockpitDeps = {
  clock: Clock;
  marks: CockpitMarks;
  books: TargetBooks;
  org: OrgDirectory;
  scope: Scope;
  staff: StaffDirectory;
  customers: CustomerDirectory;
  /** Staff of these units (the staff module's). */
  listStaffIn: (unitIds: string[]) => Promise<StaffMember[]>;
  /** The customer's manager now (referrals' manager books). */
  managerOf: (customerId: string) => Promise<string | null>;
  /** The activity a trigger offers, if it offers one. */
  offeredActivity: (triggerId: string) => Promise<string | null>;
  activityTitles: (ids: string[]) => Promise<Map<string, string>>;
  /** Every entry of the points ledger (the points module's book). */
  pointsBook: () => AsyncIterable<PointsEntry>;
  pointValueYuan: number;
  consented: (customerId: string) => Promise<boolean>;
  taskCompletion: TaskCompletion;
  /** The stored records a recount reads, each through the module that keeps them. */
  recount: {
    behaviour: (from: Date, to: Date) => Promise<FeedEvent[]>;
    domain: (names: readonly string[]) => Promise<FeedEvent[]>;
    conversions: (from: Date, to: Date) => Promise<FeedEvent[]>;
  };
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const rateOf = (actual: number, target: number) => (target > 0 ? Math.round((actual / target) * 10_000) / 10_000 : null);

/**
 * Where customers' events count: their manager (as the event names them, else the current one)
 * and that manager's unit, else the customer's own unit (null: head office). Lookups are
 * remembered for the one call that makes them.
 */
export function createPlacer(deps: Pick<CockpitDeps, 'staff' | 'customers' | 'managerOf'>) {
  const memo = <T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    if (!map.has(key)) map.set(key, read());
    return map.get(key)!;
  };
  const rmUnits = new Map<string, Promise<string | null>>();
  const ownUnits = new Map<string, Promise<string | null>>();
  const managers = new Map<string, Promise<string | null>>();
  const place = async (customerId: string | null, named: string | null | undefined): Promise<Place> => {
    const rm = named !== undefined ? named : customerId ? await memo(managers, customerId, () => deps.managerOf(customerId)) : null;
    const u = rm ? await memo(rmUnits, rm, async () => (await deps.staff.findById(rm))?.orgUnitId ?? null) : null;
    if (u || !customerId) return { rm, u };
    return { rm, u: await memo(ownUnits, customerId, async () => (await deps.customers.findById(customerId))?.orgUnitId ?? null) };
  };
  /** Reads many customers' own units in one read, ahead of placing them. */
  const prefetch = async (customerIds: string[]) => {
    const found = await deps.customers.findByIds(customerIds.filter((id) => !ownUnits.has(id)));
    const units = new Map(found.map((c) => [c.id, c.orgUnitId]));
    for (const id of customerIds) if (!ownUnits.has(id)) ownUnits.set(id, Promise.resolve(units.get(id) ?? null));
  };
  return Object.assign(place, { prefetch });
}

/** The cockpit's events named in the feed that are not behaviour or bank reports. */
const DOMAIN_NAMES = [
  EventName.CUSTOMER_PHONE_BOUND,
  EventName.REFERRAL_ATTRIBUTED,
  EventName.TRIGGER_FIRED,
  EventName.CONTENT_OPENED,
  EventName.RM_TASK_ARRIVAL,
  EventName.RM_TASK_FOLLOWED_UP,
  EventName.LEAD_CREATED,
  EventName.LEAD_FOLLOWED_UP,
  EventName.LEAD_ESCALATED,
] as const;

export function createCockpitService(deps: CockpitDeps) {
  /** The unit asked for (the caller's own by default) if it is in their subtree; otherwise it does not exist for them. */
  async function frame(principal: Principal, unitId: string | undefined, periodKey: string | undefined) {
    const period = periodRange(periodKey ?? currentPeriods(deps.clock.now()).month);
    const id = unitId ?? principal.orgUnitId;
    const reach = await deps.scope.unitIds(principal);
    if (!id || !reach.includes(id)) throw new AppError('NOT_FOUND', { message: '机构不存在' });
    const units = await deps.org.subtree(id);
    const unit = units.find((u) => u.id === id)!;
    const within = new Set(units.map((u) => u.id));
    // Customers of no unit are head office's: counted at the root only.
    const inUnit = (u: string | null) => (u ? within.has(u) : unit.parentId === null);
    return { period, unit, units, within, inUnit, reach };
  }

  /** Points booked from the ledger's own entries: the period's movements and the balances now of the customers in scope. */
  async function pointsOf(inUnit: (u: string | null) => boolean, period: PeriodRange): Promise<Cockpit['points']> {
    const entries: PointsEntry[] = [];
    for await (const e of deps.pointsBook()) entries.push(e);
    const place = createPlacer(deps);
    const customerIds = [...new Set(entries.map((e) => e.customerId))];
    await place.prefetch(customerIds);
    const units = new Map(await Promise.all(customerIds.map(async (c) => [c, (await place(c, undefined)).u] as const)));
    const sums = { earn: 0, spend: 0, expire: 0, refund: 0, adjust: 0, adjustUp: 0 };
    const last = new Map<string, PointsEntry>();
    let ledgerTotal = 0;
    for (const e of entries) {
      if (!inUnit(units.get(e.customerId) ?? null)) continue;
      ledgerTotal += e.amount;
      const seen = last.get(e.customerId);
      if (!seen || e.seq > seen.seq) last.set(e.customerId, e);
      if (e.at < period.start || e.at >= period.end) continue;
      sums[e.type] += e.amount;
      if (e.type === 'adjust' && e.amount > 0) sums.adjustUp += e.amount;
    }
    const outstanding = [...last.values()].reduce((s, e) => s + e.balance, 0);
    const issued = sums.earn + sums.refund + sums.adjustUp;
    const v = deps.pointValueYuan;
    return {
      earned: sums.earn,
      refunded: sums.refund,
      spent: -sums.spend,
      expired: -sums.expire,
      adjusted: sums.adjust,
      issued,
      outstanding,
      ledgerTotal,
      balanced: outstanding === ledgerTotal,
      pointValueYuan: v,
      issuedYuan: round2(issued * v),
      spentYuan: round2(-sums.spend * v),
      expiredYuan: round2(-sums.expire * v),
      outstandingYuan: round2(outstanding * v),
    };
  }

  /** Each metric: what the targets allot (`allotted`), against the figure. */
  const targetRows = (figures: CockpitFigures, allotted: (metric: (typeof PROGRAMME_METRICS)[number]) => number): TargetRow[] =>
    PROGRAMME_METRICS.map((metric) => {
      const target = allotted(metric);
      return { metric, target, actual: figures[metric], rate: rateOf(figures[metric], target) };
    });

  /** The figures of one scope of marks: what the cockpit shows and what the check recounts. */
  async function shown(marks: MarkDoc[], arrivals: Map<string, ArrivalDoc>, offers: Map<string, OfferDoc>) {
    const figures = figuresOf(marks);
    const { total, perActivity } = channelsOf(marks, arrivals, offers);
    return { figures, daily: dailyActive(marks), channels: total, perActivity, conversions: conversionsOf(marks) };
  }

  async function sidesOf(marks: MarkDoc[]) {
    const parts = [...participations(marks).values()];
    const [arrivals, offers] = await Promise.all([deps.marks.arrivalsOf(parts.map((p) => p.customerId)), deps.marks.offersOf(parts.map((p) => `${p.activityId}|${p.customerId}`))]);
    return { arrivals, offers };
  }

  async function cockpit(principal: Principal, unitId?: string, periodKey?: string): Promise<Cockpit> {
    const { period, unit, units, within, inUnit, reach } = await frame(principal, unitId, periodKey);
    const [marks, members, targets] = await Promise.all([
      deps.marks.read(period.months),
      deps.listStaffIn([...within]),
      deps.books.approved([...new Set([...unit.path, ...within])], period.key),
    ]);
    const here = marks.filter((m) => inUnit(m.u));
    const sides = await sidesOf(here);
    const view = await shown(here, sides.arrivals, sides.offers);
    const [titles, points] = await Promise.all([deps.activityTitles([...view.perActivity.keys()]), pointsOf(inUnit, period)]);
    const rms = members.filter((m) => m.role === 'rm');
    const tasks = await deps.taskCompletion(
      rms.map((r) => r.id),
      period,
    );

    const children = units.filter((u) => u.parentId === unit.id);
    const subtreeOf = (child: OrgUnit) => new Set(units.filter((u) => u.path.includes(child.id)).map((u) => u.id));
    // Names in full only for an admin over the manager's unit; a reviewer reads them masked.
    const named = (m: StaffMember) => (principal.role === 'admin' && reach.includes(m.orgUnitId) ? m.name : maskName(m.name));
    const leaderboard = rms
      .map((r) => {
        const figures = figuresOf(marks.filter((m) => m.rm === r.id));
        return { rmId: r.id, name: named(r), unitId: r.orgUnitId, figures, targets: targetRows(figures, (metric) => deps.books.allotted(targets, metric, { rmId: r.id })) };
      })
      .sort((a, b) => b.figures.rm_new_customers - a.figures.rm_new_customers || b.figures.monthly_active - a.figures.monthly_active || a.rmId.localeCompare(b.rmId));

    return {
      unit: { id: unit.id, name: unit.name },
      period: periodView(period),
      figures: view.figures,
      // Allotted from above; head office (allotted nothing) against what it allotted in all.
      targets: targetRows(view.figures, (metric) => deps.books.allotted(targets, metric, { unitId: unit.id }) || deps.books.setBy(targets, unit.id, metric)),
      daily: view.daily,
      channels: view.channels,
      activities: [...view.perActivity]
        .map(([activityId, row]) => ({ activityId, title: titles.get(activityId) ?? activityId, ...row }))
        .sort((a, b) => b.participants - a.participants || a.activityId.localeCompare(b.activityId)),
      conversions: view.conversions,
      points,
      costPerActiveYuan: view.figures.monthly_active ? round2(points.issuedYuan / view.figures.monthly_active) : null,
      tasks: { ...tasks, rate: rateOf(tasks.completed, tasks.assigned) },
      units: children.map((child) => {
        const set = subtreeOf(child);
        const figures = figuresOf(marks.filter((m) => m.u !== null && set.has(m.u)));
        return { unitId: child.id, name: child.name, figures, targets: targetRows(figures, (metric) => deps.books.allotted(targets, metric, { unitId: child.id })) };
      }),
      leaderboard,
    };
  }

  /** A manager's own figures this month and this quarter, against what targets allot them: never anyone else's. */
  async function myPerformance(principal: Principal): Promise<MyPerformance> {
    const me = await deps.staff.findById(principal.id);
    if (!me) throw new AppError('FORBIDDEN');
    const unit = await deps.org.findById(me.orgUnitId);
    const current = currentPeriods(deps.clock.now());
    const one = async (key: string) => {
      const period = periodRange(key);
      const [marks, targets] = await Promise.all([deps.marks.read(period.months), deps.books.approved(unit?.path ?? [me.orgUnitId], key)]);
      const figures = figuresOf(marks.filter((m) => m.rm === me.id));
      return { period: periodView(period), figures, targets: targetRows(figures, (metric) => deps.books.allotted(targets, metric, { rmId: me.id })) };
    };
    const [month, quarter] = await Promise.all([one(current.month), one(current.quarter)]);
    return { month, quarter };
  }

  /**
   * The figures recounted from the stored records (behaviour events, the outbox's events, the
   * bank's reports, the ledger) by the rules the marks follow, against the marks: an admin
   * check that the marks lost or invented nothing. It scans those collections: for checking,
   * not for the dashboards.
   */
  async function check(principal: Principal, unitId?: string, periodKey?: string) {
    const { period, inUnit } = await frame(principal, unitId, periodKey);
    const shownNow = await cockpit(principal, unitId, periodKey);
    const [behaviour, domain, bank] = await Promise.all([
      deps.recount.behaviour(period.start, period.end),
      deps.recount.domain(DOMAIN_NAMES),
      deps.recount.conversions(period.start, period.end),
    ]);
    const place = createPlacer(deps);
    await place.prefetch([...new Set([...behaviour, ...domain, ...bank].flatMap((e) => (e.customerId ? [e.customerId] : [])))]);
    const consent = new Map<string, Promise<boolean>>();
    const consented = (c: string) => {
      if (!consent.has(c)) consent.set(c, deps.consented(c));
      return consent.get(c)!;
    };
    const inPeriod = (e: FeedEvent) => Date.parse(e.occurredAt) >= period.start.getTime() && Date.parse(e.occurredAt) < period.end.getTime();
    const recounted = new Map<string, MarkDoc>();
    const arrivals = new Map<string, ArrivalDoc>();
    const offers = new Map<string, OfferDoc>();
    const activityOf = new Map<string, Promise<string | null>>();
    for (const e of [...behaviour, ...domain, ...bank]) {
      if (!counts(e) || (!isStaffWork(e) && !(await consented(e.customerId!)))) continue;
      const arrival = arrivalOf(e);
      if (arrival && !arrivals.has(arrival._id)) arrivals.set(arrival._id, arrival);
      if (e.name === EventName.TRIGGER_FIRED && e.source === 'domain') {
        const triggerId = String(e.data.triggerId);
        if (!activityOf.has(triggerId)) activityOf.set(triggerId, deps.offeredActivity(triggerId));
        const activityId = await activityOf.get(triggerId);
        const at = new Date(e.occurredAt);
        const pair = `${activityId}|${e.customerId}`;
        if (activityId && (!offers.has(pair) || offers.get(pair)!.at > at)) offers.set(pair, { _id: pair, triggerId, at });
      }
      if (!inPeriod(e)) continue;
      for (const m of derive(e, await place(e.customerId, namedManager(e)))) {
        const key = `${bankMonth(m.at)}|${m._id}`;
        const seen = recounted.get(key);
        if (!seen || m.at < seen.at) recounted.set(key, m);
      }
    }
    const here = [...recounted.values()].filter((m) => inUnit(m.u));
    const again = await shown(here, arrivals, offers);

    const figures: { figure: string; aggregate: number; recount: number }[] = [];
    const compare = (figure: string, aggregate: number, recount: number) => figures.push({ figure, aggregate, recount });
    for (const [k, v] of Object.entries(shownNow.figures)) if (k !== 'slaRate') compare(k, v as number, again.figures[k as keyof CockpitFigures] as number);
    const days = new Map(again.daily.map((d) => [d.day, d.active]));
    for (const day of new Set([...shownNow.daily.map((d) => d.day), ...days.keys()]))
      compare(`daily:${day}`, shownNow.daily.find((d) => d.day === day)?.active ?? 0, days.get(day) ?? 0);
    for (const ch of PARTICIPATION_CHANNELS) compare(`channel:${ch}`, shownNow.channels[ch], again.channels[ch]);
    for (const c of shownNow.conversions) {
      const r = again.conversions.find((x) => x.kind === c.kind)!;
      compare(`conversion:${c.kind}:customers`, c.customers, r.customers);
      compare(`conversion:${c.kind}:reports`, c.reports, r.reports);
    }
    for (const id of new Set([...shownNow.activities.map((a) => a.activityId), ...again.perActivity.keys()])) {
      compare(`activity:${id}`, shownNow.activities.find((a) => a.activityId === id)?.participants ?? 0, again.perActivity.get(id)?.participants ?? 0);
    }
    // The liability: every account's balance now against the sum of every entry ever.
    compare('points:outstanding=ledger', shownNow.points.outstanding, shownNow.points.ledgerTotal);
    const differences = figures.filter((f) => f.aggregate !== f.recount);
    return { consistent: differences.length === 0, figures, differences };
  }

  return { cockpit, myPerformance, check };
}

export type CockpitService = ReturnType<typeof createCockpitService>;
