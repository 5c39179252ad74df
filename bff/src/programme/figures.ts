import { CONVERSION_KINDS } from '@shared/contracts/conversions';
import { PARTICIPATION_CHANNELS, PROGRAMME_METRICS, type CockpitFigures, type ParticipationChannel, type ProgrammeMetric } from '@shared/contracts/programme';
import type { ArrivalDoc, MarkDoc, MarkKind, OfferDoc } from './marks';

const distinct = (marks: MarkDoc[], kind: MarkKind, x?: string) => new Set(marks.filter((m) => m.k === kind && (x === undefined || m.x === x) && m.c).map((m) => m.c!)).size;
const keys = (marks: MarkDoc[], kind: MarkKind, ok?: boolean) => new Set(marks.filter((m) => m.k === kind && (ok === undefined || m.ok === ok)).map((m) => m._id)).size;

/** Leads whose SLA is met or missed: followed up (in time or late), or escalated past it. A lead still open inside its SLA is neither yet. */
const leadsDecided = (marks: MarkDoc[]) => new Set(marks.filter((m) => m.k === 'lead_fu' || m.k === 'lead_esc').map((m) => m._id.slice(m._id.indexOf('|') + 1))).size;

/** Every figure of one slice of the marks (a unit subtree, a manager), for one period. */
export function figuresOf(marks: MarkDoc[]): CockpitFigures {
  const leads = keys(marks, 'lead');
  const leadsWithinSla = keys(marks, 'lead_fu', true);
  const decided = leadsDecided(marks);
  return {
    rm_new_customers: distinct(marks, 'new'),
    phone_bindings: distinct(marks, 'phone'),
    monthly_active: distinct(marks, 'active'),
    participants: distinct(marks, 'part'),
    open_account: distinct(marks, 'conv', 'open_account'),
    product_bought: distinct(marks, 'conv', 'product_bought'),
    aum_growth: distinct(marks, 'conv', 'aum_growth'),
    reached: distinct(marks, 'reach'),
    followUps: keys(marks, 'followup'),
    leads,
    leadsFollowedUp: keys(marks, 'lead_fu'),
    leadsWithinSla,
    leadsEscalated: keys(marks, 'lead_esc'),
    leadsDecided: decided,
    slaRate: decided ? Math.round((leadsWithinSla / decided) * 10_000) / 10_000 : null,
  };
}

export const metricOf = (f: CockpitFigures, metric: ProgrammeMetric): number => f[metric];
export const METRICS = PROGRAMME_METRICS;

/** Customers with any behaviour event, each Beijing day of the period that had any. */
export function dailyActive(marks: MarkDoc[]): { day: string; active: number }[] {
  const days = new Map<string, Set<string>>();
  for (const m of marks) if (m.k === 'active' && m.c) days.set(m.day, (days.get(m.day) ?? new Set()).add(m.c));
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, set]) => ({ day, active: set.size }));
}

/** Each customer's taking part in each activity, at the earliest mark of the period. */
export function participations(marks: MarkDoc[]): Map<string, { activityId: string; customerId: string; at: Date }> {
  const found = new Map<string, { activityId: string; customerId: string; at: Date }>();
  for (const m of marks) {
    if (m.k !== 'part' || !m.a || !m.c) continue;
    const key = `${m.a}|${m.c}`;
    const seen = found.get(key);
    if (!seen || m.at < seen.at) found.set(key, { activityId: m.a, customerId: m.c, at: m.at });
  }
  return found;
}

/**
 * How a participant came to an activity: offered it by a trigger before taking part → 事件营销;
 * else by how they first arrived: a member of staff's share (poster, link) → 客户经理海报, a
 * customer's share → 客户分享; else 自然流量.
 */
export function channelOf(pair: string, at: Date, customerId: string, arrivals: Map<string, ArrivalDoc>, offers: Map<string, OfferDoc>): ParticipationChannel {
  const offer = offers.get(pair);
  if (offer && offer.at <= at) return 'trigger';
  const arrival = arrivals.get(customerId);
  if (arrival?.sharerKind === 'staff') return 'rm_poster';
  if (arrival?.sharerKind === 'customer') return 'customer_share';
  return 'organic';
}

export type ChannelCounts = Record<ParticipationChannel, number>;
const noChannels = (): ChannelCounts => Object.fromEntries(PARTICIPATION_CHANNELS.map((c) => [c, 0])) as ChannelCounts;

/** Participations (a customer in an activity, once) by channel, in all and per activity. */
export function channelsOf(marks: MarkDoc[], arrivals: Map<string, ArrivalDoc>, offers: Map<string, OfferDoc>) {
  const total = noChannels();
  const perActivity = new Map<string, ChannelCounts & { participants: number }>();
  for (const [pair, p] of participations(marks)) {
    const channel = channelOf(pair, p.at, p.customerId, arrivals, offers);
    total[channel] += 1;
    const row = perActivity.get(p.activityId) ?? { ...noChannels(), participants: 0 };
    row[channel] += 1;
    row.participants += 1;
    perActivity.set(p.activityId, row);
  }
  return { total, perActivity };
}

export function conversionsOf(marks: MarkDoc[]) {
  return CONVERSION_KINDS.map((kind) => ({
    kind,
    customers: distinct(marks, 'conv', kind),
    reports: keys(
      marks.filter((m) => m.x === kind),
      'report',
    ),
  }));
}
