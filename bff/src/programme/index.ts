import { EventName } from '@shared/events';
import type { AppContext } from '@/context';
import type { StaffMember } from '@/platform/directory';
import type { FeedEvent } from '@/platform/event-feed';
import type { CapabilityModule } from '@/platform/module';
import { counts, createCockpitMarks, isStaffWork, namedManager } from './marks';
import { currentPeriods } from './period';
import { programmeRoutes } from './routes';
import { createCockpitService, createPlacer, type CockpitDeps, type PointsEntry, type TaskCompletion } from './service';
import { createTargetAdmin, createTargetBooks, createTargetRepository } from './targets';

export type { TaskCompletion } from './service';

/**
 * 经营目标与经营看板: reviewed targets per period and unit, and the cockpit's figures, kept as
 * keyed marks from the event feed and booked from the points ledger, with a recount check.
 */
export function programmeModule(
  ctx: AppContext,
  deps: {
    /** Staff of these units (the staff module's). */
    listStaffIn: (unitIds: string[]) => Promise<StaffMember[]>;
    /** The customer's manager now (referrals.managerBooks.current). */
    managerOf: (customerId: string) => Promise<string | null>;
    /** The activity a trigger offers, if any. */
    offeredActivity: (triggerId: string) => Promise<string | null>;
    activityTitles: (ids: string[]) => Promise<Map<string, string>>;
    /** Every entry of the points ledger (the points module's book). */
    pointsBook: () => AsyncIterable<PointsEntry>;
    /** Agreed to the policy in force, read fresh each time a mark is about to be kept (PIPL). */
    consented: (customerId: string) => Promise<boolean>;
    recount: CockpitDeps['recount'];
    /** Task completion of managers over a period, wired once the task module provides it; the figure is shown only then. */
    taskCompletion: TaskCompletion;
  },
) {
  const targets = createTargetRepository(ctx.db, ctx.clock, ctx.faults);
  const books = createTargetBooks({ targets });
  const admin = createTargetAdmin({
    ...ctx,
    targets,
    bannedWords: ctx.config.bannedWords,
    events: { published: EventName.PROGRAMME_TARGET_PUBLISHED, withdrawn: EventName.PROGRAMME_TARGET_WITHDRAWN },
  });
  const marks = createCockpitMarks({ db: ctx.db });

  /** One event's marks: a customer's only while they consent, each where it counts (their manager then, and that manager's unit). */
  async function observe(event: FeedEvent) {
    if (!isStaffWork(event) && !(event.customerId && (await deps.consented(event.customerId)))) return;
    const place = createPlacer({ staff: ctx.staff, customers: ctx.customers, managerOf: deps.managerOf });
    const offered = event.source === 'domain' && event.name === EventName.TRIGGER_FIRED ? await deps.offeredActivity(String(event.data.triggerId)) : null;
    await marks.keep(event, await place(event.customerId, namedManager(event)), offered);
  }
  ctx.events.subscribe('programme', { wants: counts, handle: observe });

  const cockpit = createCockpitService({
    clock: ctx.clock,
    marks,
    books,
    org: ctx.org,
    scope: ctx.scope,
    staff: ctx.staff,
    customers: ctx.customers,
    listStaffIn: deps.listStaffIn,
    managerOf: deps.managerOf,
    offeredActivity: deps.offeredActivity,
    activityTitles: deps.activityTitles,
    pointsBook: deps.pointsBook,
    pointValueYuan: ctx.config.pointValueYuan,
    consented: deps.consented,
    taskCompletion: deps.taskCompletion,
    recount: deps.recount,
  });

  const module: CapabilityModule = {
    name: 'programme',
    routes: programmeRoutes({ admin, cockpit }),
    sweeps: { targetSteps: () => admin.recover() },
    jobs: { targetsPruned: () => targets.pruneScheduled() },
    ensureIndexes: () => targets.ensureIndexes(),
    seedDemo: async () => (await import('../../demo/programme')).seedDemoTargets(admin, currentPeriods(ctx.clock.now()).month),
  };
  return { module, admin, cockpit };
}
