import type { LeadRuleInput } from '@shared/contracts/leads';
import { conversionKindNamesZh } from '@shared/contracts/conversions';
import { trackEventNamesZh } from '@shared/contracts/tracking';
import { hashId } from '@/kernel/ids';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { OrgDirectory, StaffDirectory } from '@/platform/directory';
import type { FeedEvent } from '@/platform/event-feed';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import type { Logger } from '@/platform/logger';
import { createStreamStore } from '@/platform/stream';
import { matches } from '@/triggers';
import type { LeadBook, LeadData } from './book';
import type { LeadRuleRepository, LeadRuleView } from './rules';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
// How long this process reuses the list of live rules: a hint, confirmed by a fresh read before a lead is made.
const LIVE_HINT_MS = 5_000;
// A lead whose steps are still marked pending after this long was cut short by a crash.
const PENDING_LEASE_MS = 60_000;
// How many of a rule's latest occurrences for one customer are looked at to count repeats.
const OCCURRENCES_READ = 50;

/** Refused inside a decision: the customer had a lead of this rule within its window. */
class InWindow extends Error {}

type OccurrenceData = { eventId: string; eventAt: Date };
type PendingDoc = { _id: string; ruleId: string; customerId: string; at: Date };

/** What an app event was about, by its title (never an internal id): a mall item's or an activity's, as they are now. */
export type Titles = { item: (id: string) => Promise<string | null>; activity: (id: string) => Promise<string | null> };

/** The event in words, as the manager reads it: 存款即将到期 TD-3Y ¥50,000, 点击 商品「金条 100 克」（2 次）. */
export async function describeEvent(event: FeedEvent, times: number, titles: Titles): Promise<string> {
  const d = event.data;
  const parts: string[] = [];
  if (event.source === 'bank') {
    const kind = String(d.kind) as keyof typeof conversionKindNamesZh;
    parts.push(conversionKindNamesZh[kind] ?? kind);
    if (typeof d.productCode === 'string') parts.push(d.productCode);
    if (typeof d.amountYuan === 'number') parts.push(`¥${d.amountYuan.toLocaleString('en-US', { maximumFractionDigits: 2 })}`);
  } else {
    const name = event.name as keyof typeof trackEventNamesZh;
    parts.push(trackEventNamesZh[name] ?? name);
    if (typeof d.itemId === 'string') {
      const title = await titles.item(d.itemId).catch(() => null);
      parts.push(title ? `商品「${title}」` : '商城商品');
    } else if (typeof d.activityId === 'string') {
      const title = await titles.activity(d.activityId).catch(() => null);
      parts.push(title ? `活动「${title}」` : '活动');
    }
  }
  return `${parts.join(' ')}${times > 1 ? `（${times} 次）` : ''}`;
}

/**
 * 商机: every customer event the feed carries (a bank report or an app event) is checked against
 * the live lead rules. A rule that needs several occurrences (viewed twice) counts them in a stream
 * per rule and customer, each keyed by its event, over `repeat.withinDays`. Then, read fresh: the
 * rule still live, the customer's current manager working in the rule's subtree, the customer agreed
 * to the policy in force and has personalised marketing on; else no lead.
 *
 * The lead is decided by an append to a stream per rule and customer whose `decide` refuses while
 * the last lead's event is within the window of this one, keyed by the lead (derived from rule,
 * customer and event): however many processes see however many events at once, one position is
 * taken per window, and a redelivered event finds its own key. A pending marker is written before
 * the decision; what follows it (the lead's record, the manager's list, the open queue, the event)
 * is keyed, and the sweep finishes it if a crash cut it short.
 */
export function createLeadEngine(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  jobBooks: JobBooks;
  rules: LeadRuleRepository;
  book: LeadBook;
  staff: StaffDirectory;
  org: OrgDirectory;
  /** The customer's manager now (referrals' book), read fresh. */
  managerOf: (customerId: string) => Promise<string | null>;
  /** Agreed to the policy in force, no deletion asked and personalised marketing on, read fresh. */
  mayMarket: (customerId: string) => Promise<boolean>;
  titles: Titles;
}) {
  const occurrences = createStreamStore<OccurrenceData>(deps.db, 'lead_occurrences', deps.clock);
  const decisions = createStreamStore<LeadData>(deps.db, 'lead_decisions', deps.clock);
  const pending = () => deps.db.collection<PendingDoc>('lead_pending');
  const streamOf = (ruleId: string, customerId: string) => `${ruleId}|${customerId}`;
  let live: { at: number; views: LeadRuleView[] } | null = null;

  /**
   * Finishes a decided lead for the manager it was decided for. A hand-over of the customer since
   * the decision may have looked for their open leads before this one was open, so the manager is
   * read again once it is: the lead follows the customer as the hand-over would have passed it on.
   */
  async function finish(lead: LeadData): Promise<void> {
    await deps.book.finish(lead);
    const now = await deps.managerOf(lead.customerId);
    if (now && now !== lead.rmId) await deps.book.handOver({ customerIds: [lead.customerId], fromRmId: lead.rmId, toRmId: now, handoverId: `reassigned:${now}` });
  }

  async function liveRules(): Promise<LeadRuleView[]> {
    const now = deps.clock.now();
    if (!live || now.getTime() - live.at > LIVE_HINT_MS) live = { at: now.getTime(), views: (await deps.rules.liveViews(now)) as LeadRuleView[] };
    return live.views;
  }

  const wanted = (event: FeedEvent) => Boolean(event.customerId) && (event.source === 'behaviour' || event.source === 'bank');

  /** How many occurrences (this one among them) fall within the repeat's days up to this event, after the last lead's event. */
  async function repeated(ruleId: string, rule: LeadRuleInput, event: FeedEvent, eventAt: Date): Promise<number> {
    const stream = streamOf(ruleId, event.customerId!);
    await occurrences.append(stream, () => ({ eventId: event.id, eventAt }), { key: `occ:${ruleId}|${event.id}` });
    const [recent, last] = await Promise.all([occurrences.list(stream, { limit: OCCURRENCES_READ }), decisions.head(stream)]);
    const from = Math.max(eventAt.getTime() - rule.repeat.withinDays * DAY_MS, last ? last.data.eventAt.getTime() : -Infinity);
    const ids = new Set(recent.filter((o) => o.data.eventAt.getTime() > from && o.data.eventAt.getTime() <= eventAt.getTime()).map((o) => o.data.eventId));
    return ids.size;
  }

  /** The manager who gets the lead: the customer's current one, enabled, working in the rule's subtree; null when none does. */
  async function managerFor(rule: LeadRuleInput, customerId: string): Promise<{ rmId: string; unitId: string } | null> {
    const rmId = await deps.managerOf(customerId);
    if (!rmId) return null;
    const [member, units] = await Promise.all([deps.staff.findById(rmId), deps.org.subtreeIds(rule.orgUnitId)]);
    if (!member || member.disabled || member.role !== 'rm' || !units.includes(member.orgUnitId)) return null;
    return { rmId, unitId: member.orgUnitId };
  }

  async function consider(ruleId: string, event: FeedEvent): Promise<boolean> {
    const customerId = event.customerId!;
    const view = (await deps.rules.findView(ruleId)) as LeadRuleView | null;
    const now = deps.clock.now();
    if (!view?.live || view.withdrawn || !view.liveStart || view.liveStart > now || !view.liveEnd || view.liveEnd <= now) return false;
    const rule = view.live;
    const eventAt = new Date(event.occurredAt);
    // Only what happened while the rule was live, and not so long ago that its window has passed.
    if (eventAt.getTime() < view.liveStart.getTime() || now.getTime() - eventAt.getTime() > rule.windowDays * DAY_MS) return false;
    // The customer's choices first: nothing of an opted-out customer's behaviour is counted towards a lead.
    const [manager, mayMarket] = await Promise.all([managerFor(rule, customerId), deps.mayMarket(customerId)]);
    if (!manager || !mayMarket) return false;
    if (rule.repeat.times > 1 && (await repeated(ruleId, rule, event, eventAt)) < rule.repeat.times) return false;

    const leadId = hashId([ruleId, customerId, event.id], { prefix: 'lead-', length: 40 });
    const lead: LeadData = {
      leadId,
      ruleId,
      ruleName: rule.name,
      suggestion: rule.suggestion,
      customerId,
      rmId: manager.rmId,
      unitId: manager.unitId,
      eventId: event.id,
      eventAt,
      why: await describeEvent(event, rule.repeat.times, deps.titles),
      createdAt: now,
      dueAt: new Date(now.getTime() + rule.slaHours * HOUR_MS),
    };
    // The marker first: a crash after the decision leaves it for the sweep, which finishes what follows.
    await insertOnce(pending(), { _id: leadId, ruleId, customerId, at: now });
    const decided = await decisions
      .append(
        streamOf(ruleId, customerId),
        (head) => {
          if (head && head.data.eventAt.getTime() + rule.windowDays * DAY_MS > eventAt.getTime()) throw new InWindow();
          return lead;
        },
        { key: leadId },
      )
      .catch((err: unknown) => {
        if (err instanceof InWindow) return null;
        throw err;
      });
    if (!decided) {
      await pending().deleteOne({ _id: leadId });
      return false;
    }
    deps.faults.hit('after:lead.decided');
    // A redelivered event finds its own lead (`duplicate`) and finishes it again: every step is keyed.
    await finish(decided.entry.data);
    await pending().deleteOne({ _id: leadId });
    return !decided.duplicate;
  }

  return {
    /** The feed's subscriber: a failure is thrown, so the event comes again; what was done before it is keyed. */
    async observe(event: FeedEvent): Promise<void> {
      if (!wanted(event)) return;
      for (const r of await liveRules()) if (matches(r.live, event)) await consider(r._id, event);
    },

    /** Whether a live rule (as this process knows them) listens to the event: only those are queued for `observe`. */
    async listensTo(event: FeedEvent): Promise<boolean> {
      return wanted(event) && (await liveRules()).some((r) => matches(r.live, event));
    },

    /** A rule approved here is seen at once by this process (others within the hint's life). */
    forget() {
      live = null;
    },

    /** Leads a crash cut short after their decision: finished from the decided entry; a marker with no decision behind it is dropped (the feed brings its event again). */
    async recover(): Promise<{ finished: number; dropped: number; failed: number; parked: number }> {
      const stale = new Date(deps.clock.now().getTime() - PENDING_LEASE_MS);
      const marks = await pending()
        .find({ at: { $lt: stale } })
        .limit(200)
        .toArray();
      let finished = 0;
      let dropped = 0;
      const run = await deps.jobBooks.each(
        'leads.pending',
        marks,
        (m) => m._id,
        async (mark) => {
          // Read by position (the head read repairs a key index a crash left unwritten): the stream is one entry per window.
          const entry = (await decisions.readAll(streamOf(mark.ruleId, mark.customerId))).find((e) => e.key === mark._id);
          if (entry) {
            await finish(entry.data);
            finished += 1;
          } else dropped += 1;
          await pending().deleteOne({ _id: mark._id });
        },
      );
      return { finished, dropped, failed: run.failed, parked: run.parked };
    },

    async ensureIndexes() {
      await occurrences.ensureIndexes();
      await decisions.ensureIndexes();
    },
  };
}

export type LeadEngine = ReturnType<typeof createLeadEngine>;
