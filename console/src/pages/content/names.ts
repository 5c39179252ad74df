import { activityTypeNamesZh } from '@shared/activity-types';
import { catalogueTypeNamesZh } from '@shared/contracts/mall';
import { rmTaskTypeNamesZh } from '@shared/contracts/marketing-tasks';
import { libraryContentTypeNamesZh } from '@shared/content-types';
import type { ReviewState } from '@shared/contracts/review';

/** Names of the `type` values of the kinds that have several, by kinds.ts key. */
export const TYPE_NAMES: Partial<Record<string, Record<string, string>>> = {
  activities: activityTypeNamesZh,
  mall: catalogueTypeNamesZh,
  'rm-tasks': rmTaskTypeNamesZh,
  library: libraryContentTypeNamesZh,
};

/** The colour of a reviewed document's state tag (its name is shared/contracts/review.ts's). */
export const STATE_COLORS: Record<ReviewState, string> = { draft: 'default', pending_review: 'orange', approved: 'blue', live: 'green', ended: 'default', withdrawn: 'red' };
