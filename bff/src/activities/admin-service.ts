import { ActivityInput } from '@shared/contracts/activities';
import { EventName } from '@shared/events';
import type { Config } from '@/config';
import type { Scope } from '@/platform/auth/scope';
import type { Clock } from '@/platform/clock';
import type { Faults } from '@/platform/faults';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { AuditLog } from '@/platform/audit';
import { createReviewWorkflow, reviewPlatform } from '@/kernel/review/workflow';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import type { ActivityRepository, ActivityView } from './repository';

export function createActivityAdminService(deps: {
  config: Config;
  clock: Clock;
  activities: ActivityRepository;
  scope: Scope;
  outbox: Outbox;
  audit: AuditLog;
  faults: Faults;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
  /**
   * What another capability needs of a revision: checks at submission and approval, what it takes
   * before an approval is recorded (a draw's mall-item units) and gives back when one is not, and
   * what it does once live.
   */
  publication: {
    check: (activity: ActivityInput) => Promise<void>;
    prepare?: (view: ActivityView, content: ActivityInput) => Promise<void>;
    release?: (view: ActivityView) => Promise<void>;
    onLive?: (view: ActivityView) => Promise<void>;
  };
}) {
  return createReviewWorkflow({
    ...reviewPlatform({ ...deps, bannedWords: deps.config.bannedWords }),
    repository: deps.activities,
    schema: ActivityInput,
    label: '活动',
    errors: { invalidTransition: 'ACTIVITY_INVALID_TRANSITION', selfReview: 'ACTIVITY_SELF_REVIEW', bannedWords: 'ACTIVITY_BANNED_WORDS' },
    events: { published: EventName.ACTIVITY_PUBLISHED, withdrawn: EventName.ACTIVITY_WITHDRAWN, idField: 'activityId' },
    checkEdit(view, next) {
      // AUCL (2025) art. 11 and SAMR 有奖销售 rules: what a draw publishes (its prizes, odds,
      // guarantee, quotas and rules text) may not change once customers can read it.
      if (view.live?.type === 'draw' && next.type === 'draw') {
        if (JSON.stringify(view.live.settings) !== JSON.stringify(next.settings) || view.live.rules !== next.rules) throw new AppError('ACTIVITY_PRIZES_LOCKED');
      }
    },
    checkPublishable: deps.publication.check,
    prepareApproval: deps.publication.prepare,
    releaseApproval: deps.publication.release,
    onApproved: deps.publication.onLive,
  });
}

export type ActivityAdminService = ReturnType<typeof createActivityAdminService>;

/** CSV columns: dotted paths into the activity; JSON in `targeting`, `settings`, `reward`, `images`. */
export const csvRowToActivity = csvRowReader({
  json: new Set(['targeting', 'settings', 'reward', 'images']),
  numbers: new Set(['budget.maxRewards', 'budget.maxPoints', 'controlGroupPercent', 'priority']),
});
