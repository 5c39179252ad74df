import { TriggerInput } from '@shared/contracts/triggers';
import { EventName } from '@shared/events';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';

export type TriggerView = ReviewedView<TriggerInput> & { live: TriggerInput };

export function createTriggerRepository(db: Database, clock: Clock, faults: Faults) {
  return createReviewedRepository<TriggerInput, object>(
    db,
    clock,
    { name: 'trigger', viewCollection: 'triggers', window: (t) => ({ start: new Date(t.schedule.startAt), end: new Date(t.schedule.endAt) }), extra: () => ({}) },
    faults,
  );
}
export type TriggerRepository = ReturnType<typeof createTriggerRepository>;

/** Triggers are reviewed like activities: a second person approves each before it can fire. */
export function createTriggerAdmin(deps: ReviewPlatformDeps & { triggers: TriggerRepository; findActivity: (id: string) => Promise<ActivityView | null>; onChanged: () => void }) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.triggers,
    schema: TriggerInput,
    label: '事件营销规则',
    errors: REVIEW_ERRORS,
    events: { published: EventName.TRIGGER_PUBLISHED, withdrawn: EventName.TRIGGER_WITHDRAWN, idField: 'triggerId' },
    // An offer of an activity must be of one that is approved and not withdrawn.
    async checkPublishable(content) {
      if (content.action.kind !== 'activity') return;
      const view = await deps.findActivity(content.action.activityId);
      if (!view || view.liveRevision === null || view.withdrawn) {
        throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'action.activityId', message: '推荐的活动须已发布且未下线' }] });
      }
    },
    onApproved: async () => deps.onChanged(),
  });
}
export type TriggerAdmin = ReturnType<typeof createTriggerAdmin>;

/** CSV columns: `event`, `conditions`, `audience`, `schedule` and `action` as JSON. */
export const csvRowToTrigger = csvRowReader({ json: new Set(['event', 'conditions', 'audience', 'schedule', 'action']), numbers: new Set(['windowMinutes']) });
