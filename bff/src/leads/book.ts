import type { AdminLead, FollowUpInput, LeadClosedReason, LeadStatus, MyLead, MyLeadPage, SlaState } from '@shared/contracts/leads';
import { EventName } from '@shared/events';
import { maskedDisplayName, maskName } from '@shared/masking';
import { findPersonalData, personalDataLabelsZh } from '@shared/pii';
import type { Principal } from '@/platform/auth/principal';
import type { Scope } from '@/platform/auth/scope';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { CustomerDirectory, OrgDirectory, StaffDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import { hashId } from '@/kernel/ids';
import type { Logger } from '@/platform/logger';
import type { Outbox } from '@/platform/outbox';
import { createStreamStore } from '@/platform/stream';

/** A lead: what the rule decided, once per rule, customer and window (see engine.ts). */
export type LeadData = {
  leadId: string;
  ruleId: string;
  ruleName: string;
  suggestion: string;
  customerId: string;
  rmId: string;
  /** The manager's unit when the lead was made: whose branch it escalates to. */
  unitId: string;
  eventId: string;
  eventAt: Date;
  /** The event in words: 存款即将到期 ¥50,000. */
  why: string;
  createdAt: Date;
  dueAt: Date;
  /** A lead passed on with its customer to the taking manager of a hand-over: the lead the rule made (counted once, as that). */
  firstLeadId?: string;
};
type LeadDoc = Omit<LeadData, 'leadId'> & { _id: string };
/** A lead still waiting to be followed up: the SLA sweep's whole queue, deleted by `_id` once followed up, escalated or closed. */
type OpenDoc = { _id: string; ruleId: string; customerId: string; rmId: string; unitId: string; dueAt: Date };
type FollowedUp = {
  _id: string;
  kind: 'followed_up';
  rmId: string;
  method: FollowUpInput['method'];
  outcome: FollowUpInput['outcome'];
  note: string | null;
  at: Date;
  withinSla: boolean;
};
/** Closed without a follow-up; a lead handed over names the taking manager's lead it became. */
type Closed = { _id: string; kind: 'closed'; reason: LeadClosedReason; at: Date; passedTo?: { leadId: string; rmId: string; unitId: string } };
/**
 * How a lead was settled, once, under its id: followed up by its manager, or closed without a
 * follow-up (the customer opted out, or was handed over). One key for all of them, so a follow-up
 * racing a closure is settled by whichever insert lands first, never both.
 */
type SettledDoc = FollowedUp | Closed;
/** Escalated to the branch past its SLA (a late follow-up may still settle it). */
type EscalationDoc = { _id: string; ruleId: string; rmId: string; unitId: string; at: Date };

/** How much of a subtree's history an admin list reads at a time, and at most, to fill a page filtered by status. */
const STATUS_FILTER_READ = 500;
const STATUS_FILTER_BOUND = 2_000;

/** Where an admin list's page starts: the lead the page before ended on (its time and id: leads made at one moment are told apart). */
const cursorOf = (before: string | undefined) => {
  if (!before) return null;
  const [at, id] = before.split('|');
  return { at: new Date(at), id };
};

/**
 * Leads once decided: the record (`leads`, by id, for the admin lists), the manager's own list
 * (a stream per manager, read newest first by position), the open queue the SLA sweep reads whole,
 * and what happened to each (settled: followed up or closed; escalated), each a document under the
 * lead's id, so each happens once however many processes or retries try.
 */
export function createLeadBook(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  outbox: Outbox;
  jobBooks: JobBooks;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  org: OrgDirectory;
  scope: Scope;
  /** The customer may be offered personalised marketing now: agreed to the policy in force, no deletion asked, personalised marketing on (read fresh). */
  mayMarket: (customerId: string) => Promise<boolean>;
}) {
  const leads = () => deps.db.collection<LeadDoc>('leads');
  const open = () => deps.db.collection<OpenDoc>('lead_open');
  const settled = () => deps.db.collection<SettledDoc>('lead_settled');
  const escalations = () => deps.db.collection<EscalationDoc>('lead_escalations');
  const lists = createStreamStore<{ leadId: string }>(deps.db, 'lead_lists', deps.clock);
  const listOf = (rmId: string) => `rm:${rmId}`;

  /** Everything a decided lead sets in motion, each step keyed: a crash part-way is finished by doing it all again. */
  async function finish(lead: LeadData): Promise<void> {
    const { leadId, ...rest } = lead;
    await insertOnce(leads(), { _id: leadId, ...rest });
    await lists.append(listOf(lead.rmId), () => ({ leadId }), { key: `list:${leadId}` });
    deps.faults.hit('after:lead.listed');
    // Not queued again once something happened to it (a sweep finishing a lead long after).
    const [done, escalated] = await Promise.all([settled().findOne({ _id: leadId }), escalations().findOne({ _id: leadId })]);
    if (!done && !escalated) await insertOnce(open(), { _id: leadId, ruleId: lead.ruleId, customerId: lead.customerId, rmId: lead.rmId, unitId: lead.unitId, dueAt: lead.dueAt });
    await deps.outbox.record(EventName.LEAD_CREATED, leadId, {
      leadId,
      ruleId: lead.ruleId,
      rmId: lead.rmId,
      customerId: lead.customerId,
      dueAt: lead.dueAt.toISOString(),
      ...(lead.firstLeadId ? { firstLeadId: lead.firstLeadId } : {}),
    });
  }

  type Outcomes = { settled: Map<string, SettledDoc>; escalations: Map<string, EscalationDoc> };
  async function outcomesOf(ids: string[]): Promise<Outcomes> {
    const byId = <T extends { _id: string }>(docs: T[]) => new Map(docs.map((d) => [d._id, d]));
    if (!ids.length) return { settled: new Map(), escalations: new Map() };
    const filter = { _id: { $in: ids } };
    const [s, e] = await Promise.all([settled().find(filter).toArray(), escalations().find(filter).toArray()]);
    return { settled: byId(s), escalations: byId(e) };
  }

  function statusOf(id: string, o: Outcomes): LeadStatus {
    const s = o.settled.get(id);
    if (s) return s.kind;
    return o.escalations.has(id) ? 'escalated' : 'open';
  }

  function slaStateOf(doc: LeadDoc, o: Outcomes, now: Date): SlaState {
    const s = o.settled.get(doc._id);
    if (s?.kind === 'followed_up') return s.withinSla ? 'met' : 'missed';
    if (s) return 'closed';
    return now.getTime() > doc.dueAt.getTime() ? 'overdue' : 'within';
  }

  async function views(docs: LeadDoc[]): Promise<MyLead[]> {
    const ids = docs.map((d) => d._id);
    const [o, customers] = await Promise.all([outcomesOf(ids), deps.customers.findByIds([...new Set(docs.map((d) => d.customerId))])]);
    const customerById = new Map(customers.map((c) => [c.id, c]));
    const now = deps.clock.now();
    return docs.map((d) => {
      const s = o.settled.get(d._id);
      const f = s?.kind === 'followed_up' ? s : null;
      const customer = customerById.get(d.customerId);
      return {
        id: d._id,
        ruleId: d.ruleId,
        ruleName: d.ruleName,
        suggestion: d.suggestion,
        customerId: d.customerId,
        customerName: customer ? maskedDisplayName(customer) : '微信用户',
        why: d.why,
        eventAt: d.eventAt.toISOString(),
        createdAt: d.createdAt.toISOString(),
        dueAt: d.dueAt.toISOString(),
        status: statusOf(d._id, o),
        slaState: slaStateOf(d, o, now),
        followUp: f ? { method: f.method, outcome: f.outcome, note: f.note, at: f.at.toISOString(), withinSla: f.withinSla } : null,
        escalatedAt: o.escalations.get(d._id)?.at.toISOString() ?? null,
        closedReason: s?.kind === 'closed' ? s.reason : null,
      };
    });
  }

  async function byIds(ids: string[]): Promise<LeadDoc[]> {
    if (!ids.length) return [];
    const docs = await leads()
      .find({ _id: { $in: ids } })
      .toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** A follow-up's event, and the lead out of the open queue: keyed, done again by the sweep if a crash cut it short. */
  async function afterFollowUp(lead: { _id: string; ruleId: string; rmId: string }, f: FollowedUp): Promise<void> {
    await deps.outbox.record(EventName.LEAD_FOLLOWED_UP, lead._id, { leadId: lead._id, ruleId: lead.ruleId, rmId: lead.rmId, outcome: f.outcome, withinSla: f.withinSla });
    await open().deleteOne({ _id: lead._id });
  }

  /** A lead handed over becomes the taking manager's (keyed by the lead it became), with the rule's full SLA from the hand-over. */
  async function passOn(leadId: string, closed: Closed): Promise<void> {
    const doc = await leads().findOne({ _id: leadId });
    if (!doc || !closed.passedTo) return;
    const { _id, ...rest } = doc;
    await finish({
      ...rest,
      ...closed.passedTo,
      createdAt: closed.at,
      dueAt: new Date(closed.at.getTime() + (doc.dueAt.getTime() - doc.createdAt.getTime())),
      firstLeadId: doc.firstLeadId ?? _id,
    });
  }

  /**
   * Carries out what settled an open lead (a follow-up's event, a pass-on) and takes it off the
   * open queue: every step keyed, so a sweep or a resumed hand-over finishes what a crash cut off.
   * False when nothing has settled it.
   */
  async function carryOut(q: OpenDoc, s: SettledDoc | null): Promise<boolean> {
    if (!s) return false;
    if (s.kind === 'followed_up') return afterFollowUp(q, s).then(() => true);
    if (s.reason === 'handed_over') await passOn(q._id, s);
    await open().deleteOne({ _id: q._id });
    return true;
  }

  /** Closes an open lead unless something settled it first (then that is carried out instead); true when this closure did. */
  async function close(q: OpenDoc, closure: Closed): Promise<boolean> {
    const won = await insertOnce(settled(), closure);
    deps.faults.hit('after:lead.closed');
    await carryOut(q, won ? closure : await settled().findOne({ _id: q._id }));
    return won;
  }

  return {
    finish,

    /** The manager's own leads, newest first, a page of their list by position. */
    async mine(rmId: string, query: { status?: LeadStatus; before?: number; limit: number }): Promise<MyLeadPage> {
      const entries = await lists.list(listOf(rmId), { beforeSeq: query.before, limit: query.limit });
      const docs = (await byIds(entries.map((e) => e.data.leadId))).filter((d) => d.rmId === rmId);
      const items = (await views(docs)).filter((v) => !query.status || v.status === query.status);
      const last = entries[entries.length - 1];
      return { items, nextBefore: last && last.seq > 1 && entries.length === query.limit ? last.seq : null };
    },

    /**
     * Records the manager's follow-up, once per lead: another manager's lead is not found (404),
     * a second follow-up or one of a closed lead is refused (409); a note holding personal data is refused (422).
     */
    async followUp(principal: Principal, leadId: string, input: FollowUpInput): Promise<MyLead> {
      const lead = await leads().findOne({ _id: leadId });
      if (!lead || lead.rmId !== principal.id) throw new AppError('NOT_FOUND');
      const note = input.note?.trim() || null;
      const found = note ? findPersonalData(note) : null;
      if (found) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'note', message: `备注不能包含${personalDataLabelsZh[found.kind]}` }] });
      const now = deps.clock.now();
      const doc: FollowedUp = {
        _id: leadId,
        kind: 'followed_up',
        rmId: principal.id,
        method: input.method,
        outcome: input.outcome,
        note,
        at: now,
        withinSla: now.getTime() <= lead.dueAt.getTime(),
      };
      if (!(await insertOnce(settled(), doc))) {
        const first = await settled().findOne({ _id: leadId });
        if (first?.kind === 'closed') throw new AppError('LEAD_CLOSED');
        // A retry after a crash (or a second tap) finishes what the first left: its event is keyed.
        if (first) await afterFollowUp(lead, first);
        throw new AppError('LEAD_ALREADY_FOLLOWED_UP');
      }
      deps.faults.hit('after:lead.followed-up');
      await afterFollowUp(lead, doc);
      return (await views([lead]))[0];
    },

    /** Leads of managers in the caller's subtree (at every node), newest first, with the filters asked for. */
    async list(
      principal: Principal,
      query: { status?: LeadStatus; unitId?: string; rmId?: string; before?: string; limit: number },
    ): Promise<{ items: AdminLead[]; nextBefore: string | null }> {
      const reach = await deps.scope.unitIds(principal);
      if (query.unitId && !reach.includes(query.unitId)) throw new AppError('FORBIDDEN', { message: '只能查看本机构或下级机构的商机' });
      const units = query.unitId ? (await deps.org.subtreeIds(query.unitId)).filter((u) => reach.includes(u)) : reach;
      const filter: Record<string, unknown> = { unitId: { $in: units } };
      if (query.rmId) filter.rmId = query.rmId;
      // A status is known only from each lead's outcomes: read newest first, a slice at a time, up to a
      // bound; a page short of its size then still says where the next one starts (nothing older is hidden).
      const slice = query.status ? STATUS_FILTER_READ : query.limit;
      const picked: LeadDoc[] = [];
      let cursor = cursorOf(query.before);
      let more = true;
      for (let read = 0; more && picked.length < query.limit && read < STATUS_FILTER_BOUND; read += slice) {
        const docs = await leads()
          .find(cursor ? { ...filter, $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, _id: { $lt: cursor.id } }] } : filter)
          .sort({ createdAt: -1, _id: -1 })
          .limit(slice)
          .toArray();
        more = docs.length === slice;
        const outcomes = query.status ? await outcomesOf(docs.map((d) => d._id)) : null;
        for (const d of docs) {
          if (picked.length === query.limit) break;
          cursor = { at: d.createdAt, id: d._id };
          if (!outcomes || statusOf(d._id, outcomes) === query.status) picked.push(d);
        }
      }
      const [seen, staff, orgUnits] = await Promise.all([
        views(picked),
        deps.staff.findByIds([...new Set(picked.map((d) => d.rmId))]),
        deps.org.findByIds([...new Set(picked.map((d) => d.unitId))]),
      ]);
      const staffName = new Map(staff.map((s) => [s.id, s.name]));
      const unitName = new Map(orgUnits.map((u) => [u.id, u.name]));
      const items = seen.map((v, i) => {
        const d = picked[i];
        return { ...v, rmId: d.rmId, rmName: maskName(staffName.get(d.rmId) ?? '客户经理'), unitId: d.unitId, unitName: unitName.get(d.unitId) ?? d.unitId };
      });
      const next = (more || picked.length === query.limit) && cursor ? `${cursor.at.toISOString()}|${cursor.id}` : null;
      return { items, nextBefore: next };
    },

    /**
     * The SLA sweep: the open queue read whole (open leads only, never the history). A lead
     * settled (followed up, or closed by a hand-over) has what follows finished and leaves the queue; one past its due time
     * is closed if its customer has meanwhile switched personalised marketing off or withdrawn
     * consent (read fresh), else escalated to the branch, once (a keyed insert). Each lead alone
     * through the job books: one that fails is counted and tried again next time, the others go on.
     */
    async sweep(): Promise<{ escalated: number; closed: number; failed: number; parked: number }> {
      const queue = await open().find({}).toArray();
      if (!queue.length) return { escalated: 0, closed: 0, failed: 0, parked: 0 };
      const now = deps.clock.now();
      const done = new Set(
        (
          await settled()
            .find({ _id: { $in: queue.map((q) => q._id) } })
            .toArray()
        ).map((s) => s._id),
      );
      const due = queue.filter((q) => done.has(q._id) || q.dueAt.getTime() < now.getTime());
      let escalated = 0;
      let closed = 0;
      const run = await deps.jobBooks.each(
        'leads.sla',
        due,
        (q) => q._id,
        async (q) => {
          // Read again: what settled it meanwhile (a follow-up, a hand-over) is carried out instead.
          if (await carryOut(q, await settled().findOne({ _id: q._id }))) return;
          if (q.dueAt.getTime() >= now.getTime()) return;
          if (!(await deps.mayMarket(q.customerId))) {
            if (await close(q, { _id: q._id, kind: 'closed', reason: 'opted_out', at: now })) closed += 1;
            return;
          }
          if (await insertOnce(escalations(), { _id: q._id, ruleId: q.ruleId, rmId: q.rmId, unitId: q.unitId, at: now })) escalated += 1;
          deps.faults.hit('after:lead.escalated');
          await deps.outbox.record(EventName.LEAD_ESCALATED, q._id, { leadId: q._id, ruleId: q.ruleId, rmId: q.rmId, unitId: q.unitId, customerId: q.customerId });
          await open().deleteOne({ _id: q._id });
        },
      );
      if (escalated || closed) deps.logger.info({ escalated, closed }, 'leads past their SLA');
      return { escalated, closed, failed: run.failed, parked: run.parked };
    },

    /**
     * A customer handed over takes their open leads not yet due along: each is closed as 已移交 and
     * becomes a lead of the taking manager (its own id, from the lead and the hand-over; the rule's
     * full SLA from now; escalating to the taker's branch). One past due is the branch's already
     * (the SLA sweep escalates it where it was), and a customer who has meanwhile opted out gets
     * none passed on (closed as opted out). The closure claims the lead under the one key a
     * follow-up also claims, so the leaving manager's last-moment follow-up and the hand-over never
     * both happen; the pass-on follows the closure, so the hand-over's resumed run (or the sweep)
     * finishes one a crash cut off.
     */
    async handOver(move: { customerIds: string[]; fromRmId: string; toRmId: string; handoverId: string }): Promise<number> {
      // One read of the open queue for a batch of customers (open leads only, never the history).
      const queue = (
        await open()
          .find({ customerId: { $in: move.customerIds } })
          .toArray()
      ).filter((q) => q.rmId === move.fromRmId);
      if (!queue.length) return 0;
      const taker = await deps.staff.findById(move.toRmId);
      const now = deps.clock.now();
      let passed = 0;
      // Each lead alone, counted in the job books. One that fails leaves the batch undone, so the resumed run tries it
      // again; once parked it stays with its manager (the SLA sweep finishes a closure it recorded, or escalates it
      // when due) and the hand-over of the customers after it goes on.
      const run = await deps.jobBooks.each(
        'leads.handover',
        queue,
        (q) => q._id,
        async (q) => {
          if (await carryOut(q, await settled().findOne({ _id: q._id }))) return;
          // (A taker gone since the approval leaves the lead where it is: the SLA sweep escalates it to the branch.)
          if (q.dueAt.getTime() <= now.getTime() || !taker) return;
          const mayMarket = await deps.mayMarket(q.customerId);
          const closure: Closed = mayMarket
            ? {
                _id: q._id,
                kind: 'closed',
                reason: 'handed_over',
                at: now,
                passedTo: { leadId: hashId([q._id, move.handoverId], { prefix: 'lead-', length: 40 }), rmId: move.toRmId, unitId: taker.orgUnitId },
              }
            : { _id: q._id, kind: 'closed', reason: 'opted_out', at: now };
          if ((await close(q, closure)) && mayMarket) passed += 1;
        },
      );
      if (run.failed) throw new Error(`${run.failed} lead(s) did not follow hand-over ${move.handoverId} yet`);
      return passed;
    },

    async ensureIndexes() {
      await lists.ensureIndexes();
      await leads().createIndex({ unitId: 1, createdAt: -1 });
    },
  };
}

export type LeadBook = ReturnType<typeof createLeadBook>;
