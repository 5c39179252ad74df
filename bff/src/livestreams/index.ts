import type { ActivityView } from '@/activities';
import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createStreamStore } from '@/platform/stream';
import type { TaskService } from '@/tasks';
import { createLivestreamAdmin, createLivestreamRepository } from './catalogue';
import { createReminders } from './reminders';
import { livestreamRoutes } from './routes';
import { createSchedule, type ReserverEntry } from './schedule';

/** 私域直播: the reviewed schedule, reservations and one reminder each, entry from the mini-program. */
export function livestreamsModule(
  ctx: AppContext,
  deps: {
    tasks: TaskService;
    findActivity: (id: string) => Promise<ActivityView | null>;
    joinActivity: (customerId: string, activityId: string) => Promise<unknown>;
    /** The demo links its 直播 activity by code. */
    activityIdForCode: (code: string) => Promise<string | null>;
    findItemTitle: (id: string) => Promise<string | null>;
    /** Agreed to the privacy policy in force and asked for no deletion: read fresh before each reminder. */
    mayContact: (customerId: string) => Promise<boolean>;
  },
) {
  const livestreams = createLivestreamRepository(ctx.db, ctx.clock, ctx.faults);
  const reservers = createStreamStore<ReserverEntry>(ctx.db, 'livestream_reservers', ctx.clock);
  const allowlist = ctx.config.webviewDomains;
  const admin = createLivestreamAdmin({ ...ctx, livestreams, bannedWords: ctx.config.bannedWords, findActivity: deps.findActivity, allowlist });
  const schedule = createSchedule({
    db: ctx.db,
    clock: ctx.clock,
    livestreams,
    reservers,
    tasks: deps.tasks,
    findActivity: deps.findActivity,
    joinActivity: deps.joinActivity,
    findItemTitle: deps.findItemTitle,
    allowlist,
    jobBooks: ctx.jobBooks,
    faults: ctx.faults,
    mayContact: deps.mayContact,
  });
  const reminders = createReminders({ ...ctx, livestreams, reservers, reservations: schedule.reservations, mayContact: deps.mayContact });
  const module: CapabilityModule = {
    name: 'livestreams',
    routes: livestreamRoutes({ admin, schedule, reminders, audit: ctx.audit, clock: ctx.clock }),
    sweeps: { reminders: () => reminders.run(), livestreamSteps: () => admin.recover(), reservations: () => schedule.recover() },
    jobs: { livestreamsPruned: () => livestreams.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/livestreams')).seedDemoLivestreams(admin, ctx.clock, deps.activityIdForCode),
    ensureIndexes: async () => {
      await livestreams.ensureIndexes();
      await reservers.ensureIndexes();
    },
  };
  return { module, schedule, reminders, admin };
}
