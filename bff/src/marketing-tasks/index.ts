import { EventName } from '@shared/events';
import type { ActivityView } from '@/activities';
import type { AppContext } from '@/context';
import type { StaffMember } from '@/platform/directory';
import type { CapabilityModule } from '@/platform/module';
import type { Principal } from '@/platform/auth/principal';
import type { PosterSpec } from '@shared/contracts/referrals';
import type { Customer } from '@/platform/directory';
import type { TagExpression } from '@shared/contracts/targeting';
import { createTaskBooks } from './books';
import { createRmTaskAdmin, createRmTaskRepository } from './catalogue';
import { marketingTaskRoutes } from './routes';
import { createTaskService, type TaskContent } from './service';

export type { TaskContent } from './service';

/** A batch of a hand-over an observer is told of (referrals.observeHandovers). */
type CustomersMoved = { customerIds: string[]; fromRmId: string; toRmId: string; handoverId: string };
/** The arrival an observer is told of (referrals.observeArrivals). */
type Arrival = { scene: { taskId?: string | null; sharer: { kind: 'customer' | 'staff'; id: string } }; customerId: string; newCustomer: boolean };

/**
 * 营销任务: head office or a branch asks the relationship managers of a subtree to share an
 * activity's poster, send a piece of content or follow up their own customers; reviewed before
 * release; each manager's execution counted from what happened (arrivals through their task
 * scene, opens of what they sent, follow-ups they recorded), once each.
 */
export function marketingTasksModule(
  ctx: AppContext,
  deps: {
    findActivity: (id: string) => Promise<ActivityView | null>;
    staffIn: (unitIds: string[]) => Promise<StaffMember[]>;
    poster: (principal: Principal, activityId: string, taskId: string) => Promise<PosterSpec>;
    content: TaskContent;
    customersOf: (rmId: string) => Promise<string[]>;
    inAudience: (customer: Customer, audience: TagExpression) => Promise<boolean>;
    mayContact: (customerId: string) => Promise<boolean>;
    /** The demo's poster task names its activity by code. */
    activityIdForCode: (code: string) => Promise<string | null>;
  },
) {
  const tasks = createRmTaskRepository(ctx.db, ctx.clock, ctx.faults);
  const books = createTaskBooks(ctx.db, ctx.clock);
  const admin = createRmTaskAdmin({ ...ctx, bannedWords: ctx.config.bannedWords, tasks, org: ctx.org, findActivity: deps.findActivity, findContent: deps.content.find });
  const service = createTaskService({
    clock: ctx.clock,
    org: ctx.org,
    staff: ctx.staff,
    staffIn: deps.staffIn,
    scope: ctx.scope,
    customers: ctx.customers,
    outbox: ctx.outbox,
    tasks,
    books,
    poster: deps.poster,
    activityTitle: async (id) => (await deps.findActivity(id))?.live?.title ?? null,
    content: deps.content,
    customersOf: deps.customersOf,
    inAudience: deps.inAudience,
    mayContact: deps.mayContact,
  });

  // A task's arrivals are counted from their events, handed over at least once: the book's keys make it once.
  ctx.events.subscribe('marketing-tasks', {
    wants: (e) => e.source === 'domain' && e.name === EventName.RM_TASK_ARRIVAL,
    handle: (e) => service.arrived({ taskId: String(e.data.taskId), rmId: String(e.data.rmId), customerId: e.customerId!, newCustomer: e.data.newCustomer === true }),
  });

  /** Told of every arrival through a share: one through a manager's task scene is announced for the task. */
  async function observeArrival(arrival: Arrival): Promise<void> {
    const { scene } = arrival;
    if (!scene.taskId || scene.sharer.kind !== 'staff') return;
    await service.announceArrival({ taskId: scene.taskId, rmId: scene.sharer.id, customerId: arrival.customerId, newCustomer: arrival.newCustomer });
  }

  /**
   * Told of each batch of a hand-over before it is marked done: each open follow-up task's lists
   * follow the customers, each task alone. A task that fails is counted and the batch is not done,
   * so the resumed run tries it again; once parked, the hand-over goes on without it (shown in the job books).
   */
  async function observeHandover(moved: CustomersMoved): Promise<void> {
    const run = await ctx.jobBooks.each(
      'marketing-tasks.handover',
      await service.openFollowUpTasks(),
      (v) => v._id,
      (v) => service.handOver(v, moved),
    );
    if (run.failed) throw new Error(`${run.failed} follow-up task(s) did not follow hand-over ${moved.handoverId} yet`);
  }

  const module: CapabilityModule = {
    name: 'marketing-tasks',
    routes: marketingTaskRoutes({ admin, service }),
    sweeps: {
      rmTaskSteps: () => admin.recover(),
      // Follow-ups recorded and not announced (a crash in between): each alone, a failing one counted.
      rmTaskFollowUps: async () =>
        ctx.jobBooks.each(
          'marketing-tasks.follow-ups',
          await books.dueFollowUps(),
          (d) => d._id,
          (d) => books.finishFollowUp(d, (entry) => service.announceFollowUp(d.taskId, d.rmId, entry)),
        ),
    },
    jobs: { rmTasksPruned: () => tasks.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/marketing-tasks')).seedDemoTasks(admin, deps.activityIdForCode),
    ensureIndexes: async () => {
      await tasks.ensureIndexes();
      await books.ensureIndexes();
    },
  };
  return { module, service, observeArrival, observeHandover, admin };
}
