import type { ActivityInput } from '@shared/contracts/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';

type ActivityExtra = { livePriority: number };
export type ActivityView = ReviewedView<ActivityInput, ActivityExtra>;

export const createActivityRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<ActivityInput, ActivityExtra>(
    db,
    clock,
    {
      name: 'activity',
      viewCollection: 'activities',
      window: (a) => ({ start: new Date(a.schedule.startAt), end: new Date(a.schedule.endAt) }),
      extra: (live) => ({ livePriority: live?.priority ?? 0 }),
    },
    faults,
  );

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
