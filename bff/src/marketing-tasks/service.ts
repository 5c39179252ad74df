import type { FollowUpInput, ReachingRmTask, RmTaskCard, RmTaskDetail, RmTaskExecution, RmTaskInput, RmTaskProgress } from '@shared/contracts/marketing-tasks';
import type { PosterSpec, Share } from '@shared/contracts/referrals';
import { EventName } from '@shared/events';
import { maskName, maskPhone, maskedDisplayName } from '@shared/masking';
import { findPersonalData } from '@shared/pii';
import type { Principal } from '@/platform/auth/principal';
import type { Scope } from '@/platform/auth/scope';
import type { Clock } from '@/platform/clock';
import type { Customer, CustomerDirectory, OrgDirectory, StaffDirectory, StaffMember } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { TagExpression } from '@shared/contracts/targeting';
import type { BookEntry, TaskBooks, TaskFigures } from './books';
import { taskStateOf, type RmTaskRepository, type RmTaskView } from './catalogue';

/** What a marketing task's content goes through: the content library's share, its opens, and the piece as it is live. */
export type TaskContent = {
  share(rmId: string, contentId: string, taskId: string): Promise<Share>;
  opens(query: { contentId: string; rmId: string; taskId: string }): Promise<number>;
  find(contentId: string): Promise<{ title: string; unitIds: string[]; endAt: string } | null>;
};

/** What a task tells a manager, from their book: the goal measured, never declared. */
function progressOf(t: RmTaskInput, f: TaskFigures & { opens: number; listSize: number | null }): RmTaskProgress {
  const listSize = f.listSize ?? 0;
  const goal = t.type === 'follow_up' ? Math.min(t.goal, listSize) : t.goal;
  const measured = t.type === 'share_poster' ? f.arrivals : t.type === 'send_content' ? f.opens : f.followUps;
  // An empty follow-up list asks nothing of the manager, and completes nothing either.
  return { shared: f.shared, arrivals: f.arrivals, newCustomers: f.newCustomers, opens: f.opens, followUps: f.followUps, listSize, goal, done: goal > 0 && measured >= goal };
}

/**
 * Marketing tasks as their managers and their admins see them. A task reaches each
 * relationship manager whose unit is one of its units or below one (read when asked: a manager
 * who joins the branch while it runs has it too); each sees only their own execution, an admin
 * the managers of their subtree, at every row.
 */
export function createTaskService(deps: {
  clock: Clock;
  org: OrgDirectory;
  staff: StaffDirectory;
  /** Members of staff working in these units. */
  staffIn: (unitIds: string[]) => Promise<StaffMember[]>;
  scope: Scope;
  customers: CustomerDirectory;
  outbox: Outbox;
  tasks: RmTaskRepository;
  books: TaskBooks;
  poster: (principal: Principal, activityId: string, taskId: string) => Promise<PosterSpec>;
  activityTitle: (id: string) => Promise<string | null>;
  /** The content library (send_content tasks). */
  content: TaskContent;
  /** The manager's customers now. */
  customersOf: (rmId: string) => Promise<string[]>;
  /** Whether the customer is in an audience (the one eligibility rule). */
  inAudience: (customer: Customer, audience: TagExpression) => Promise<boolean>;
  /** Agreed to the policy in force and no deletion asked for: read fresh when a list is made. */
  mayContact: (customerId: string) => Promise<boolean>;
}) {
  const { clock, books } = deps;

  async function manager(principal: Principal): Promise<StaffMember & { chain: string[] }> {
    const member = await deps.staff.findById(principal.id);
    if (!member || member.role !== 'rm' || member.disabled) throw new AppError('NOT_FOUND', { message: '客户经理不存在' });
    return { ...member, chain: (await deps.org.findById(member.orgUnitId))?.path ?? [] };
  }
  const reaches = (t: RmTaskInput, chain: string[]) => t.unitIds.some((u) => chain.includes(u));

  /** Tasks that reach this manager, approved and listed (upcoming, running, or ended within the month). */
  async function tasksOf(m: { chain: string[] }): Promise<RmTaskView[]> {
    return ((await deps.tasks.liveViews(clock.now())) as RmTaskView[]).filter((v) => v.live && reaches(v.live, m.chain));
  }
  async function taskOf(m: { chain: string[] }, id: string): Promise<RmTaskView> {
    const view = (await deps.tasks.findView(id)) as RmTaskView | null;
    if (!view?.live || view.withdrawn || !reaches(view.live, m.chain)) throw new AppError('NOT_FOUND', { message: '任务不存在或未下达给您' });
    return view;
  }

  /**
   * A manager's follow-up list, fixed the first time anyone reads it: their customers in the
   * task's audience who may be contacted and have personalised marketing on (PIPL art. 24).
   */
  async function listOf(view: RmTaskView, rmId: string): Promise<string[]> {
    return books.list(view._id, rmId, async () => eligible(view.live, await deps.customersOf(rmId)));
  }
  /** Of these customers, those a follow-up task may ask a manager to contact. */
  async function eligible(t: RmTaskInput, customerIds: string[]): Promise<string[]> {
    const found = await deps.customers.findByIds(customerIds);
    const kept = await Promise.all(found.map(async (c) => c.personalized && (!t.audience || (await deps.inAudience(c, t.audience))) && (await deps.mayContact(c.id))));
    return found.filter((_, i) => kept[i]).map((c) => c.id);
  }

  async function progress(view: RmTaskView, rmId: string): Promise<RmTaskProgress> {
    const t = view.live;
    const [figures, opens, list] = await Promise.all([
      books.figures(view._id, rmId),
      t.contentId ? deps.content.opens({ contentId: t.contentId, rmId, taskId: view._id }) : 0,
      // A follow-up list is fixed by its first read, whoever reads it: a manager's goal is the same for them and their admin.
      t.type === 'follow_up' ? listOf(view, rmId) : null,
    ]);
    return progressOf(t, { ...figures, listSize: list?.length ?? null, opens });
  }

  async function card(view: RmTaskView, rmId: string): Promise<RmTaskCard> {
    const t = view.live;
    const [issuer, activityTitle, content, mine] = await Promise.all([
      deps.org.findById(t.orgUnitId),
      t.activityId ? deps.activityTitle(t.activityId) : null,
      t.contentId ? deps.content.find(t.contentId) : null,
      progress(view, rmId),
    ]);
    return {
      id: view._id,
      type: t.type,
      title: t.title,
      description: t.description,
      issuer: issuer?.name ?? '',
      startAt: t.startAt,
      endAt: t.endAt,
      state: taskStateOf(t, clock.now()),
      activity: t.activityId ? { id: t.activityId, title: activityTitle ?? '活动' } : null,
      content: t.contentId ? { id: t.contentId, title: content?.title ?? '内容' } : null,
      progress: mine,
    };
  }

  async function detail(view: RmTaskView, rmId: string): Promise<RmTaskDetail> {
    if (view.live.type !== 'follow_up') return { ...(await card(view, rmId)), customers: [] };
    const [base, list, done] = await Promise.all([card(view, rmId), listOf(view, rmId), books.followUps(view._id, rmId)]);
    const found = new Map((await deps.customers.findByIds(list)).map((c) => [c.id, c]));
    return {
      ...base,
      customers: list.map((id) => {
        const c = found.get(id);
        const followed = done.get(id);
        return {
          customerId: id,
          name: c ? maskedDisplayName(c) : '客户',
          phone: c?.phone ? maskPhone(c.phone) : null,
          followUp: followed ? { ...followed.followUp, at: followed.at.toISOString() } : null,
        };
      }),
    };
  }

  /** The managers a task reached among these units, with what each did; names for an admin, masked for a reviewer. */
  async function executionOf(view: RmTaskView, mine: Set<string>, principal: Principal): Promise<RmTaskExecution> {
    const reached = (await Promise.all(view.live.unitIds.map((u) => deps.org.subtreeIds(u)))).flat().filter((u) => mine.has(u));
    if (!reached.length) throw new AppError('NOT_FOUND', { message: '任务不存在或尚未下达' });
    const members = (await deps.staffIn([...new Set(reached)])).filter((s) => s.role === 'rm' && !s.disabled);
    const units = new Map((await deps.org.findByIds(members.map((s) => s.orgUnitId))).map((u) => [u.id, u]));
    const rows = await Promise.all(
      members.map(async (s) => ({
        rmId: s.id,
        // An admin reads the names of their own subtree's managers; a reviewer reads them masked.
        name: principal.role === 'admin' ? s.name : maskName(s.name),
        unitId: s.orgUnitId,
        unitName: units.get(s.orgUnitId)?.name ?? '',
        progress: await progress(view, s.id),
      })),
    );
    rows.sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh') || a.name.localeCompare(b.name, 'zh'));
    return { taskId: view._id, managers: rows.length, completed: rows.filter((r) => r.progress.done).length, rows };
  }

  const ORDER = { running: 0, upcoming: 1, ended: 2 } as const;

  /** A follow-up as the bank and the cockpit receive it (never its note), keyed by the task and the customer. */
  const announceFollowUp = (taskId: string, rmId: string, entry: BookEntry) =>
    deps.outbox.record(EventName.RM_TASK_FOLLOWED_UP, `${taskId}:${entry.customerId}`, {
      customerId: entry.customerId,
      taskId,
      rmId,
      method: entry.followUp?.method ?? null,
      outcome: entry.followUp?.outcome ?? null,
    });

  return {
    announceFollowUp,

    async listMine(principal: Principal): Promise<{ items: RmTaskCard[] }> {
      const m = await manager(principal);
      const cards = await Promise.all((await tasksOf(m)).map((v) => card(v, m.id)));
      return { items: cards.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.endAt.localeCompare(b.endAt)) };
    },

    async getMine(principal: Principal, id: string): Promise<RmTaskDetail> {
      const m = await manager(principal);
      return detail(await taskOf(m, id), m.id);
    },

    /** The poster or the link carrying this manager's task scene; the first share is announced. */
    async share(principal: Principal, id: string): Promise<{ poster: PosterSpec | null; share: Share | null }> {
      const m = await manager(principal);
      const view = await taskOf(m, id);
      const t = view.live;
      if (taskStateOf(t, clock.now()) !== 'running') throw new AppError('RM_TASK_NOT_RUNNING');
      if (t.type === 'follow_up') throw new AppError('RM_TASK_NOTHING_TO_SHARE');
      const [poster, share] = await Promise.all([t.activityId ? deps.poster(principal, t.activityId, id) : null, t.contentId ? deps.content.share(m.id, t.contentId, id) : null]);
      await books.shared(id, m.id);
      // Keyed by the task and the manager: every share after the first announces nothing new.
      await deps.outbox.record(EventName.RM_TASK_SHARED, `${id}:${m.id}`, { taskId: id, rmId: m.id });
      return { poster, share };
    },

    async followUp(principal: Principal, id: string, input: FollowUpInput): Promise<RmTaskDetail> {
      const m = await manager(principal);
      const view = await taskOf(m, id);
      if (view.live.type !== 'follow_up') throw new AppError('NOT_FOUND', { message: '该任务不是客户跟进任务' });
      if (taskStateOf(view.live, clock.now()) !== 'running') throw new AppError('RM_TASK_NOT_RUNNING');
      if (!(await listOf(view, m.id)).includes(input.customerId)) throw new AppError('NOT_FOUND', { message: '该客户不在您本次任务的跟进名单中' });
      const found = findPersonalData({ note: input.note });
      if (found) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'note', message: '备注中不能填写手机号、证件号或卡号等个人信息' }] });
      const { recorded } = await books.followUp(id, m.id, input, (entry) => announceFollowUp(id, m.id, entry));
      if (!recorded) throw new AppError('RM_TASK_ALREADY_FOLLOWED_UP');
      return detail(view, m.id);
    },

    /** Follow-up tasks not yet ended, whose lists follow customers handed over. */
    async openFollowUpTasks(): Promise<RmTaskView[]> {
      const now = clock.now();
      return ((await deps.tasks.liveViews(now)) as RmTaskView[]).filter((v) => v.live?.type === 'follow_up' && !v.withdrawn && taskStateOf(v.live, now) !== 'ended');
    },

    /** Customers handed over: those on the giver's list of this task and not yet followed up go to the taker's. */
    handOver: (view: RmTaskView, move: { fromRmId: string; toRmId: string; handoverId: string; customerIds: string[] }) =>
      books.handOver(view._id, move, (ids) => eligible(view.live, ids)),

    /** A customer arrived through a manager's task scene while the task ran: counted once (the feed hands the event over at least once). */
    async arrived(event: { taskId: string; rmId: string; customerId: string; newCustomer: boolean }): Promise<void> {
      await books.arrived(event.taskId, event.rmId, event.customerId, event.newCustomer);
    },

    /** Announced once an arrival through a task scene happens; the task's book counts it from the feed. */
    async announceArrival(arrival: { taskId: string; rmId: string; customerId: string; newCustomer: boolean }): Promise<void> {
      const view = (await deps.tasks.findView(arrival.taskId)) as RmTaskView | null;
      if (!view?.live || view.withdrawn || taskStateOf(view.live, clock.now()) !== 'running') return;
      await deps.outbox.record(EventName.RM_TASK_ARRIVAL, `${arrival.taskId}:${arrival.rmId}:${arrival.customerId}`, arrival);
    },

    /** Every manager the task reached in the reader's subtree, with what they did. */
    async execution(principal: Principal, id: string): Promise<RmTaskExecution> {
      const view = (await deps.tasks.findView(id)) as RmTaskView | null;
      if (!view?.live) throw new AppError('NOT_FOUND', { message: '任务不存在或尚未下达' });
      return executionOf(view, new Set(await deps.scope.unitIds(principal)), principal);
    },

    /**
     * For the cockpit: of these managers, how many (manager, task) pairs were asked of them by tasks
     * running at some time in the period, and how many met their goal. Every task whose issuer is
     * one of the managers' units or above is read (a task reaches a manager only from there).
     */
    async completion(rmIds: string[], period: { from: Date; to: Date }): Promise<{ assigned: number; completed: number }> {
      const members = (await deps.staff.findByIds(rmIds)).filter((m) => m.role === 'rm');
      const chains = new Map((await deps.org.findByIds(members.map((m) => m.orgUnitId))).map((u) => [u.id, u.path]));
      const issuers = [...new Set([...chains.values()].flat())];
      const views = ((await deps.tasks.listViews(issuers)) as RmTaskView[]).filter(
        (v) => v.live && !v.withdrawn && Date.parse(v.live.startAt) < period.to.getTime() && period.from.getTime() < Date.parse(v.live.endAt),
      );
      const pairs = views.flatMap((v) => members.filter((m) => reaches(v.live, chains.get(m.orgUnitId) ?? [])).map((m) => ({ v, m })));
      const done = await Promise.all(pairs.map(async ({ v, m }) => (await progress(v, m.id)).done));
      return { assigned: pairs.length, completed: done.filter(Boolean).length };
    },

    /** Tasks reaching the reader's subtree (head office's and their own), each with how many of its managers are done. */
    async reaching(principal: Principal): Promise<{ items: ReachingRmTask[] }> {
      const mine = new Set(await deps.scope.unitIds(principal));
      const views = (await deps.tasks.liveViews(clock.now())) as RmTaskView[];
      const items = await Promise.all(
        views.map(async (view) => {
          const done = await executionOf(view, mine, principal).catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
            throw err;
          });
          if (!done) return null;
          const t = view.live;
          return {
            id: view._id,
            type: t.type,
            title: t.title,
            issuer: (await deps.org.findById(t.orgUnitId))?.name ?? '',
            startAt: t.startAt,
            endAt: t.endAt,
            state: taskStateOf(t, clock.now()),
            managers: done.managers,
            completed: done.completed,
          };
        }),
      );
      return { items: items.filter((i): i is ReachingRmTask => i !== null).sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.endAt.localeCompare(b.endAt)) };
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
