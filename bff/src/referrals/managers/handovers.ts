import type { Scope } from '@/platform/auth/scope';
import { approvalView, createApprovals, type ApprovalRequest } from '@/kernel/approvals';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import type { Logger } from '@/platform/logger';
import type { OrgDirectory, StaffDirectory } from '@/platform/directory';
import { maskName } from '@shared/masking';
import { GONE_STAFF, orgNames } from '@/kernel/names';
import { NotTheirs, type Managers } from './book';

type Payload = { fromRmId: string; toRmId: string; customerIds: string[] | null };
/** An approved hand-over being carried out: the customers it moves, fixed when it was approved, in batches. */
type RunDoc = { _id: string; fromRmId: string; toRmId: string; customerIds: string[]; batchSize: number; startedAt: Date };
type BatchDoc = { _id: string; runId: string; moved: number; skipped: number };
type ItemDoc = { _id: string; runId: string; customerId: string; outcome: 'moved' | 'skipped'; detail: string | null };

/** Customers a hand-over moved (one batch of its run), as those who follow it are told. */
export type CustomersMoved = { customerIds: string[]; fromRmId: string; toRmId: string; handoverId: string };

/**
 * 离职继承: an admin asks to move a leaving manager's customers (all, or some) to another
 * manager; a second person approves. Approval fixes the list and moves it in batches, each
 * customer once (the move is keyed by the hand-over, and refused when the customer is no longer
 * the leaving manager's), each batch marked when done: after a crash, the sweep picks the run
 * up at its first unmarked batch. Every customer's outcome is kept for the report, and their
 * manager history keeps every hand-over. The taking manager must be enabled when asked and
 * again, read afresh, when a second person approves.
 */
export function createHandovers(deps: {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  faults: Faults;
  logger: Logger;
  scope: Scope;
  staff: StaffDirectory;
  org: Pick<OrgDirectory, 'findByIds'>;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
  managers: Managers;
  jobBooks: JobBooks;
  batchSize: number;
  /** What else follows the customers moved (their open leads): told of each batch before it is marked done, so a resumed run tells again. */
  onMoved: (moved: CustomersMoved) => Promise<void>;
}) {
  const runs = () => deps.db.collection<RunDoc>('rm_handover_runs');
  const open = () => deps.db.collection<{ _id: string; at: Date }>('rm_handover_open');
  const batches = () => deps.db.collection<BatchDoc>('rm_handover_batches');
  const items = () => deps.db.collection<ItemDoc>('rm_handover_items');

  async function managerInScope(principal: Principal, rmId: string) {
    const member = await deps.staff.findById(rmId);
    if (!member || member.role !== 'rm' || !principal.orgUnitId || !(await deps.scope.unitIds(principal)).includes(member.orgUnitId))
      throw new AppError('NOT_FOUND', { message: '客户经理不存在' });
    return member;
  }

  /**
   * The manager who takes the customers must be able to serve them: an enabled manager's
   * account, read afresh (staff records change at once, and apart from this request). A
   * disabled one would take customers into a book nobody sees.
   */
  async function takerEnabled(rmId: string): Promise<void> {
    const member = await deps.staff.findById(rmId);
    if (!member || member.role !== 'rm' || member.disabled) throw new AppError('CONFLICT', { message: '接手的客户经理账号已停用或不再是客户经理，不能移交' });
  }

  async function drive(runId: string): Promise<void> {
    const run = await runs().findOne({ _id: runId });
    if (!run) return;
    const count = Math.ceil(run.customerIds.length / run.batchSize);
    for (let k = 0; k < count; k++) {
      if (await batches().findOne({ _id: `${runId}#${k}` })) continue;
      const batch = run.customerIds.slice(k * run.batchSize, (k + 1) * run.batchSize);
      const movedIds: string[] = [];
      const skippedIds: string[] = [];
      // Each customer alone (a move already made is found by its key): one whose move keeps failing is counted and
      // leaves the batch for the resumed run, and once parked is reported as not moved, so the others go on.
      const tried = await deps.jobBooks.each(
        'referrals.handoverMoves',
        batch,
        (c) => `${runId}:${c}`,
        async (customerId) => {
          let outcome: ItemDoc['outcome'] = 'moved';
          deps.faults.hit('before:handover.move');
          try {
            await deps.managers.move(customerId, run.fromRmId, run.toRmId, runId);
          } catch (err) {
            if (!(err instanceof NotTheirs)) throw err;
            outcome = 'skipped';
          }
          await insertOnce(items(), { _id: `${runId}:${customerId}`, runId, customerId, outcome, detail: outcome === 'skipped' ? '该客户已不由原客户经理服务' : null });
          (outcome === 'moved' ? movedIds : skippedIds).push(customerId);
        },
      );
      if (tried.failed) throw new Error(`${tried.failed} customer(s) of hand-over ${runId} not moved yet`);
      // Parked: reported as the customer's manager book stands (the failure may have come after the move itself).
      for (const customerId of batch.filter((c) => !movedIds.includes(c) && !skippedIds.includes(c))) {
        const moved = (await deps.managers.history(customerId)).at(-1)?.data.ref === runId;
        const detail = moved ? null : '多次移交失败，未移交；请为该客户重新发起移交';
        await insertOnce(items(), { _id: `${runId}:${customerId}`, runId, customerId, outcome: moved ? ('moved' as const) : ('skipped' as const), detail });
        (moved ? movedIds : skippedIds).push(customerId);
      }
      if (movedIds.length) await deps.onMoved({ customerIds: movedIds, fromRmId: run.fromRmId, toRmId: run.toRmId, handoverId: runId });
      await insertOnce(batches(), { _id: `${runId}#${k}`, runId, moved: movedIds.length, skipped: skippedIds.length });
      deps.faults.hit('after:handover.batch');
    }
    await open().deleteOne({ _id: runId });
  }

  const approvals = createApprovals<Payload>({
    db: deps.db,
    clock: deps.clock,
    audit: deps.audit,
    faults: deps.faults,
    name: 'rm_handover',
    async authorize(principal, { fromRmId, toRmId }) {
      await managerInScope(principal, fromRmId);
      await managerInScope(principal, toRmId);
    },
    async visible(principal, requests) {
      const [members, units] = await Promise.all([deps.staff.findByIds(requests.flatMap((r) => [r.fromRmId, r.toRmId])), deps.scope.unitIds(principal)]);
      const reached = new Set(members.filter((m) => m.role === 'rm' && units.includes(m.orgUnitId)).map((m) => m.id));
      return requests.filter((r) => reached.has(r.fromRmId) && reached.has(r.toRmId));
    },
    independent: deps.independent,
    async apply(request) {
      // At approval, on a fresh read: the target may have been disabled since the request. Refused, the request stays open (to be rejected).
      await takerEnabled(request.toRmId);
      const customerIds = request.customerIds ?? (await deps.managers.all(request.fromRmId)).map((c) => c.customerId);
      await insertOnce(open(), { _id: request._id, at: deps.clock.now() });
      await insertOnce(runs(), { _id: request._id, fromRmId: request.fromRmId, toRmId: request.toRmId, customerIds, batchSize: deps.batchSize, startedAt: deps.clock.now() });
      // Carried on after the answer; if this process dies, the sweep resumes it.
      void drive(request._id).catch((err: unknown) => deps.logger.error({ err, handover: request._id }, 'hand-over interrupted; the sweep resumes it'));
    },
    auditDetail: ({ fromRmId, toRmId, customerIds }) => ({ fromRmId, toRmId, customers: customerIds?.length ?? 'all' }),
  });

  async function toView(request: ApprovalRequest<Payload>) {
    const run = await runs().findOne({ _id: request._id });
    let progress = null;
    if (run) {
      const done = await Promise.all(Array.from({ length: Math.ceil(run.customerIds.length / run.batchSize) }, (_, k) => batches().findOne({ _id: `${run._id}#${k}` })));
      const finished = done.every((b) => b !== null);
      progress = {
        state: finished ? ('done' as const) : ('running' as const),
        total: run.customerIds.length,
        moved: done.reduce((sum, b) => sum + (b?.moved ?? 0), 0),
        skipped: done.reduce((sum, b) => sum + (b?.skipped ?? 0), 0),
      };
    }
    return { ...approvalView(request), fromRmId: request.fromRmId, toRmId: request.toRmId, scope: request.customerIds ? ('some' as const) : ('all' as const), run: progress };
  }

  return {
    async request(principal: Principal, input: { fromRmId: string; toRmId: string; customerIds?: string[]; reason: string }) {
      await managerInScope(principal, input.toRmId);
      await takerEnabled(input.toRmId);
      const mine = await approvals.request(
        principal,
        { fromRmId: input.fromRmId, toRmId: input.toRmId, customerIds: input.customerIds ? [...new Set(input.customerIds)] : null },
        input.reason,
      );
      return toView(mine);
    },
    /** A page of hand-overs awaiting this checker, with both managers by masked name and unit. */
    async pending(principal: Principal, paging: { page: number; pageSize: number }) {
      const { items, total } = await approvals.pending(principal, paging);
      const members = new Map((await deps.staff.findByIds(items.flatMap((h) => [h.fromRmId, h.toRmId, h.requestedBy]))).map((m) => [m.id, m]));
      const orgName = await orgNames(
        deps.org,
        [...members.values()].map((m) => m.orgUnitId),
      );
      const nameOf = (id: string) => {
        const m = members.get(id);
        return m ? maskName(m.name) : GONE_STAFF;
      };
      // A member gone has no unit: the unknown unit's name.
      const unitOf = (id: string) => orgName(members.get(id)?.orgUnitId ?? '');
      return {
        total,
        items: await Promise.all(
          items.map(async (h) => ({
            ...(await toView(h)),
            requestedByName: nameOf(h.requestedBy),
            fromRmName: nameOf(h.fromRmId),
            fromOrgUnitName: unitOf(h.fromRmId),
            toRmName: nameOf(h.toRmId),
            toOrgUnitName: unitOf(h.toRmId),
            customerCount: h.customerIds?.length ?? null,
            // The reviewer decides on a number: for "all", the leaving manager's book as it stands (a staff read of the whole book).
            customersNow: (await deps.managers.all(h.fromRmId)).length,
          })),
        ),
      };
    },
    approve: async (principal: Principal, id: string, reason: string | null) => toView(await approvals.approve(principal, id, reason)),
    reject: async (principal: Principal, id: string, reason: string) => toView(await approvals.reject(principal, id, reason)),

    async report(principal: Principal, id: string) {
      const request = await approvals.find(id);
      if (!request) throw new AppError('NOT_FOUND');
      await managerInScope(principal, request.fromRmId);
      // The run's progress first, then its items: each batch is recorded after its items, so a run shown done lists them all
      // (read the other way round, a batch finishing in between showed done with an item missing).
      const view = await toView(request);
      const outcomes = (await items().find({ runId: id }).toArray()).map((i) => ({ customerId: i.customerId, outcome: i.outcome, detail: i.detail }));
      return { ...view, items: outcomes };
    },

    /** Decisions a crash left unapplied, and runs it left unfinished: carried on. */
    async recover(): Promise<number> {
      const decided = await approvals.recover();
      const unfinished = await open().find({}).limit(50).toArray();
      // Each run alone: one that cannot finish this time holds up no other, and the sweep reports it as failed.
      const failed: unknown[] = [];
      for (const { _id } of unfinished) await drive(_id).catch((err: unknown) => failed.push(err));
      if (failed.length) throw failed[0];
      return decided + unfinished.length;
    },

    ensureIndexes: () => items().createIndex({ runId: 1 }),
  };
}

export type Handovers = ReturnType<typeof createHandovers>;
