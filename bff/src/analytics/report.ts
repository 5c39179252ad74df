import type { ActivityAnalytics } from '../../../shared/contracts/analytics';
import type { Database } from '../platform/db';
import { newcombe, median } from './intervals';
import { PARTICIPATION, STEPS, type AssignDoc, type DayDoc, type FirstDoc, type Marks, type Step } from './marks';

const rate = (x: number, n: number) => (n ? x / n : 0);
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** An activity's funnel, trend and experiment, computed from its marks in one read. */
export async function activityAnalytics(marks: Marks, activityId: string, options: { conversion?: string; referral: ActivityAnalytics['referral'] }): Promise<Omit<ActivityAnalytics, 'budget'>> {
  const docs = await marks.marksOf(activityId).find({}).toArray();
  const firsts = docs.filter((d): d is FirstDoc => d.kind === 'first' && !d.control);
  const firstAt = new Map<string, Map<string, Date>>();
  for (const d of firsts) firstAt.set(d.step, (firstAt.get(d.step) ?? new Map()).set(d.customerId, d.at));

  const funnel = STEPS.map((step, i) => {
    const here = firstAt.get(step) ?? new Map<string, Date>();
    const before = i > 0 ? (firstAt.get(STEPS[i - 1]) ?? new Map<string, Date>()) : null;
    const gaps = before ? [...here].flatMap(([c, at]) => (before.has(c) ? [Math.max(0, (at.getTime() - before.get(c)!.getTime()) / 1000)] : [])) : [];
    return {
      step,
      customers: here.size,
      dropOff: before && before.size ? round(1 - here.size / before.size) : null,
      medianSecondsFromPrevious: before ? median(gaps) : null,
    };
  });

  const days = new Map<string, Record<Step, number>>();
  for (const d of docs) {
    if (d.kind !== 'day' || d.control || !(STEPS as readonly string[]).includes(d.step)) continue;
    const row = days.get(d.day) ?? { impression: 0, click: 0, participate: 0, reward: 0, convert: 0 };
    row[(d as DayDoc).step as Step] += 1;
    days.set(d.day, row);
  }
  const trend = [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, row]) => ({ day, ...row }));

  const step = options.conversion ? `convert.${options.conversion}` : 'convert';
  const arms = docs.filter((d): d is AssignDoc => d.kind === 'assign');
  const converted = new Set(docs.filter((d) => d.kind === 'first' && d.step === step).map((d) => d.customerId));
  const arm = (control: boolean) => {
    const members = arms.filter((a) => a.control === control);
    const x = members.filter((a) => converted.has(a.customerId)).length;
    return { customers: members.length, converted: x, rate: round(rate(x, members.length), 6) };
  };
  const treatment = arm(false);
  const control = arm(true);
  const took = firstAt.get('participate') ?? new Map<string, Date>();
  const participantIds = arms.filter((a) => !a.control && took.has(a.customerId));
  const participantsConverted = participantIds.filter((a) => converted.has(a.customerId)).length;
  const ci = newcombe(treatment.converted, treatment.customers, control.converted, control.customers);
  return {
    activityId,
    funnel,
    trend,
    experiment: {
      conversion: options.conversion ?? 'any',
      treatment,
      control,
      participants: { customers: participantIds.length, converted: participantsConverted, rate: round(rate(participantsConverted, participantIds.length), 6) },
      difference: round(ci.difference, 6),
      ci95: { low: round(ci.low, 6), high: round(ci.high, 6) },
      method: 'newcombe-hybrid-score',
      relativeLift: control.rate > 0 ? round(treatment.rate / control.rate - 1) : null,
      significant: treatment.customers > 0 && control.customers > 0 && (ci.low > 0 || ci.high < 0),
    },
    referral: options.referral,
  };
}

/**
 * The funnel's counts recounted from the raw records (behaviour events, the outbox's rewards,
 * the bank's conversions): an admin check that the marks lost or invented nothing. It scans
 * those collections, so it is for checking, not for the dashboards.
 */
export async function recountFunnel(db: Database, marks: Marks, activityId: string, funnel: ActivityAnalytics['funnel']) {
  const events = await db.collection<{ customerId: string; type: string; control: boolean }>('behaviour_events').find({ activityId }).toArray();
  const treated = events.filter((e) => !e.control);
  const distinct = (list: { customerId: string }[]) => new Set(list.map((e) => e.customerId)).size;
  const rewards = await db.collection<{ payload: { customerId?: string } }>('outbox_events').find({ name: 'reward.issued', 'payload.activityId': activityId }).toArray();
  const arms = (await marks.marksOf(activityId).find({}).toArray()).filter((d): d is AssignDoc => d.kind === 'assign' && !d.control);
  const armAt = new Map(arms.map((a) => [a.customerId, a.at]));
  const conversions = await db.collection<{ customerId: string; occurredAt: Date }>('conversion_reports').find({}).toArray();
  const recount: Record<Step, number> = {
    impression: distinct(treated.filter((e) => e.type === 'impression')),
    click: distinct(treated.filter((e) => e.type === 'click')),
    participate: distinct(treated.filter((e) => (PARTICIPATION as readonly string[]).includes(e.type))),
    reward: new Set(rewards.map((r) => r.payload.customerId)).size,
    convert: new Set(conversions.filter((c) => armAt.has(c.customerId) && armAt.get(c.customerId)! <= c.occurredAt).map((c) => c.customerId)).size,
  };
  const steps = funnel.map((f) => ({ step: f.step, aggregate: f.customers, recount: recount[f.step] }));
  return { consistent: steps.every((s) => s.aggregate === s.recount), steps };
}
