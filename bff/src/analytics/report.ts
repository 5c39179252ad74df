import type { ActivityAnalytics, AnalyticsCheck } from '@shared/contracts/analytics';
import type { z } from 'zod';
import { bankDay } from '@/platform/time';
import { newcombe, median } from './intervals';
import { CONVERSION_WINDOW_MS, PARTICIPATION, STEPS, type AssignDoc, type DayDoc, type FirstDoc, type Marks, type Step } from './marks';

const rate = (x: number, n: number) => (n ? x / n : 0);
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Who reached each step, and when first. */
export type Reached = Record<Step, Map<string, Date>>;
/** How many customers were at each step on each bank day. */
export type Days = Map<string, Record<Step, number>>;

const emptyReached = (): Reached => ({ impression: new Map(), click: new Map(), participate: new Map(), reward: new Map(), convert: new Map() });
const emptyDay = (): Record<Step, number> => ({ impression: 0, click: 0, participate: 0, reward: 0, convert: 0 });

/**
 * The funnel over sets of customers: a step's customers are those who reached it and every
 * earlier step, so each step is a subset of the one before and drop-off lies in [0, 1]. Those
 * who reached a step without every earlier one (a shared link, an impression not recorded …)
 * are counted apart, outside the funnel. The same function serves the report (from marks) and
 * the check (from the stored records), so the two can only differ in what they read.
 */
export function funnelOf(reached: Reached): ActivityAnalytics['funnel'] {
  let previous: Set<string> | null = null;
  return STEPS.map((step, i) => {
    const here = reached[step];
    const inFunnel: Set<string> = previous ? new Set([...previous].filter((c) => here.has(c))) : new Set(here.keys());
    const before = previous;
    previous = inFunnel;
    if (!before) return { step, customers: inFunnel.size, reachedOtherWay: null, dropOff: null, medianSecondsFromPrevious: null };
    const earlier = reached[STEPS[i - 1]];
    const gaps = [...inFunnel].map((c) => Math.max(0, (here.get(c)!.getTime() - earlier.get(c)!.getTime()) / 1000));
    return {
      step,
      customers: inFunnel.size,
      reachedOtherWay: here.size - inFunnel.size,
      dropOff: before.size ? round(1 - inFunnel.size / before.size) : null,
      medianSecondsFromPrevious: median(gaps),
    };
  });
}

const trendOf = (days: Days): ActivityAnalytics['trend'] => [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, row]) => ({ day, ...row }));

/** An activity's funnel, trend and experiment, computed from its marks in one read. */
export async function activityAnalytics(
  marks: Marks,
  activityId: string,
  options: { conversion?: string; controlGroupPercent: number; referral: ActivityAnalytics['referral'] },
): Promise<Omit<ActivityAnalytics, 'budget'>> {
  const docs = await marks.marksOf(activityId).find({}).toArray();
  const reached = emptyReached();
  const days: Days = new Map();
  for (const d of docs) {
    if (d.control || !(STEPS as readonly string[]).includes((d as FirstDoc | DayDoc).step)) continue;
    if (d.kind === 'first') reached[d.step as Step].set(d.customerId, d.at);
    else if (d.kind === 'day') {
      const row = days.get(d.day) ?? emptyDay();
      row[d.step as Step] += 1;
      days.set(d.day, row);
    }
  }

  const step = options.conversion ? `convert.${options.conversion}` : 'convert';
  const arms = docs.filter((d): d is AssignDoc => d.kind === 'assign');
  const converted = new Set(docs.filter((d) => d.kind === 'first' && d.step === step).map((d) => d.customerId));
  const arm = (members: AssignDoc[]) => {
    const x = members.filter((a) => converted.has(a.customerId)).length;
    return { customers: members.length, converted: x, rate: round(rate(x, members.length), 6) };
  };
  const treated = arms.filter((a) => !a.control);
  const assigned = arm(treated);
  const held = arms.filter((a) => a.control);
  // Without anyone held back there is nothing to compare with: no difference, no interval.
  const control = held.length ? arm(held) : null;
  const participants = arm(treated.filter((a) => reached.participate.has(a.customerId)));
  const ci = control ? newcombe(assigned.converted, assigned.customers, control.converted, control.customers) : null;
  return {
    activityId,
    funnel: funnelOf(reached),
    trend: trendOf(days),
    experiment: {
      conversion: options.conversion ?? 'any',
      controlGroupPercent: options.controlGroupPercent,
      assigned,
      reached: arm(treated.filter((a) => reached.impression.has(a.customerId))),
      control,
      noControlReason: control ? null : options.controlGroupPercent > 0 ? 'no_control_customers' : 'not_configured',
      participants,
      difference: ci ? round(ci.difference, 6) : null,
      ci95: ci ? { low: round(ci.low, 6), high: round(ci.high, 6) } : null,
      method: 'newcombe-hybrid-score',
      relativeLift: control && control.rate > 0 ? round(assigned.rate / control.rate - 1) : null,
      significant: ci !== null && assigned.customers > 0 && (ci.low > 0 || ci.high < 0),
    },
    referral: options.referral,
  };
}

/** The stored records a recount reads, each through the function of the module that keeps it. */
export type RecountSources = {
  behaviour: (activityId: string) => Promise<{ customerId: string; type: string; control: boolean; clientTime: Date }[]>;
  rewardsIssued: (activityId: string) => Promise<{ payload: Record<string, unknown>; occurredAt: Date }[]>;
  conversions: () => Promise<{ customerId: string; occurredAt: Date }[]>;
};

/**
 * The funnel and the daily trend recounted from the stored records (behaviour events as kept,
 * the outbox's rewards, the bank's conversions), with the rules the marks follow: an admin
 * check that the marks lost or invented nothing, a resent or conflicting event included. It
 * scans those collections, so it is for checking, not for the dashboards.
 */
export async function recountFunnel(
  sources: RecountSources,
  marks: Marks,
  activityId: string,
  report: Pick<ActivityAnalytics, 'funnel' | 'trend'>,
  controlOf: (activityId: string, customerId: string) => Promise<boolean>,
): Promise<z.infer<typeof AnalyticsCheck>> {
  const reached = emptyReached();
  const perDay = new Map<string, Set<string>>(); // `<day>|<step>` → customers
  const seen = (step: Step, customerId: string, at: Date) => {
    const first = reached[step].get(customerId);
    if (!first || at < first) reached[step].set(customerId, at);
    const key = `${bankDay(at)}|${step}`;
    perDay.set(key, (perDay.get(key) ?? new Set()).add(customerId));
  };

  for (const e of await sources.behaviour(activityId)) {
    if (e.control) continue;
    const step: Step | null = e.type === 'impression' ? 'impression' : e.type === 'click' ? 'click' : (PARTICIPATION as readonly string[]).includes(e.type) ? 'participate' : null;
    if (step) seen(step, e.customerId, e.clientTime);
  }
  const control = new Map<string, boolean>();
  for (const r of await sources.rewardsIssued(activityId)) {
    const customerId = r.payload.customerId;
    if (typeof customerId !== 'string') continue;
    if (!control.has(customerId)) control.set(customerId, await controlOf(activityId, customerId));
    if (!control.get(customerId)) seen('reward', customerId, r.occurredAt);
  }
  const registered = await marks.findActivity(activityId);
  const armAt = new Map(
    (await marks.marksOf(activityId).find({}).toArray()).filter((d): d is AssignDoc => d.kind === 'assign' && !d.control).map((a) => [a.customerId, a.at] as const),
  );
  for (const c of await sources.conversions()) {
    const assignedAt = armAt.get(c.customerId);
    if (!registered || !assignedAt || assignedAt > c.occurredAt || registered.endAt.getTime() + CONVERSION_WINDOW_MS <= c.occurredAt.getTime()) continue;
    seen('convert', c.customerId, c.occurredAt);
  }

  const recounted = funnelOf(reached);
  const steps = report.funnel.map((f, i) => ({
    step: f.step,
    aggregate: f.customers,
    recount: recounted[i].customers,
    reachedOtherWay: f.reachedOtherWay === null ? null : { aggregate: f.reachedOtherWay, recount: recounted[i].reachedOtherWay ?? 0 },
  }));
  const trend: z.infer<typeof AnalyticsCheck>['trend'] = [];
  const aggregated = new Map<string, number>(report.trend.flatMap((row) => STEPS.map((s) => [`${row.day}|${s}`, row[s]] as const)));
  for (const key of new Set([...aggregated.keys(), ...perDay.keys()])) {
    const [day, step] = key.split('|');
    const aggregate = aggregated.get(key) ?? 0;
    const recount = perDay.get(key)?.size ?? 0;
    if (aggregate !== recount) trend.push({ day, step, aggregate, recount });
  }
  trend.sort((a, b) => a.day.localeCompare(b.day) || STEPS.indexOf(a.step as Step) - STEPS.indexOf(b.step as Step));
  return {
    consistent: trend.length === 0 && steps.every((s) => s.aggregate === s.recount && (s.reachedOtherWay === null || s.reachedOtherWay.aggregate === s.reachedOtherWay.recount)),
    steps,
    trend,
  };
}
