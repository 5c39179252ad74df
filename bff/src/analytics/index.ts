import type { ActivityAnalytics } from '@shared/contracts/analytics';
import type { ActivityRepository } from '@/activities';
import type { AppContext } from '@/context';
import { conversionReports } from '@/conversions';
import type { CapabilityModule } from '@/platform/module';
import { outboxEventsOf } from '@/platform/outbox';
import { behaviourOfActivity } from '@/tracking';
import { inControlGroup } from '@/kernel/expression';
import { createMarks } from './marks';
import { analyticsRoutes } from './routes';
import { createAnalyticsService } from './service';

/** Activity analytics: marks kept from every event the feed carries, and the reports read from them. */
export function analyticsModule(
  ctx: AppContext,
  deps: {
    activities: ActivityRepository;
    referralFigures: (activityId: string) => Promise<ActivityAnalytics['referral']>;
    budgetUsage: (activityId: string) => Promise<{ issued: number; points: number }>;
    consented: (customerId: string) => Promise<boolean>;
  },
) {
  // The rule ingest flags behaviour events with (tracking/ingest.ts), applied to what carries no flag of its own (rewards).
  const controlOf = async (activityId: string, customerId: string) => {
    const view = await deps.activities.findView(activityId);
    return view?.live ? inControlGroup(view._id, customerId, view.live.controlGroupPercent) : false;
  };
  const marks = createMarks({ db: ctx.db, clock: ctx.clock, controlOf });
  // Marks describe a customer's behaviour: consent is read again when the worker keeps them, not only when the event was recorded (PIPL).
  ctx.events.subscribe('analytics', {
    wants: marks.counts,
    handle: async (event) => {
      if (event.customerId && (await deps.consented(event.customerId))) await marks.observe([event]);
    },
  });
  const service = createAnalyticsService({
    marks,
    scope: ctx.scope,
    findView: deps.activities.findView,
    controlOf,
    referralFigures: deps.referralFigures,
    budgetUsage: deps.budgetUsage,
    recountSources: {
      behaviour: (activityId) => behaviourOfActivity(ctx.db, activityId),
      rewardsIssued: (activityId) => outboxEventsOf(ctx.db, 'reward.issued', { activityId }),
      conversions: () => conversionReports(ctx.db),
    },
  });
  const module: CapabilityModule = { name: 'analytics', routes: analyticsRoutes(service), ensureIndexes: () => marks.ensureIndexes() };
  return { module, service };
}
