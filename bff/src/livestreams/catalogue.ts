import { LivestreamInput, type LivestreamMarks } from '@shared/contracts/livestreams';
import { checkWebviewUrl, type LivestreamState } from '@shared/life-rules';
import { EventName } from '@shared/events';
import type { z } from 'zod';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';

export type LivestreamView = ReviewedView<LivestreamInput> & { live: LivestreamInput };
/** What operations marked. */
export type MarksDoc = z.infer<typeof LivestreamMarks> & { _id: string; at: Date; by: string };

const REPLAY_DAYS = 30;

export const createLivestreamRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<LivestreamInput, object>(
    db,
    clock,
    // On the schedule from its approval (as 预告) until its replay period is over.
    {
      name: 'livestream',
      viewCollection: 'livestreams',
      window: (l) => ({ start: new Date(0), end: new Date(Date.parse(l.endAt) + REPLAY_DAYS * 86_400_000) }),
      extra: () => ({}),
    },
    faults,
  );
export type LivestreamRepository = ReturnType<typeof createLivestreamRepository>;

/**
 * The approved replay as a customer may open it now: on the allowlist, normalised; else null.
 * (A replay address operations once set straight in the marks, unreviewed, is never shown.)
 */
export function replayOf(l: LivestreamInput, allowlist: readonly string[]): string | null {
  if (!l.replayUrl) return null;
  const checked = checkWebviewUrl(l.replayUrl, allowlist);
  return checked.ok ? checked.url : null;
}

/** 预告 before the start, 直播中 until the end (or the admin ends it early), then 回放 if there is one, else 已结束. */
export function stateOf(l: LivestreamInput, marks: MarksDoc | null, now: Date, replay: string | null): LivestreamState {
  if (now.getTime() < Date.parse(l.startAt)) return 'upcoming';
  if (now.getTime() < Date.parse(l.endAt) && !marks?.endedEarly) return 'live';
  return replay ? 'replay' : 'ended';
}

/**
 * The schedule, reviewed like activities. A replay is part of the reviewed content: its address
 * passes the web-view allowlist at upload, at edit, at submission and at approval, and again at
 * every read.
 */
export function createLivestreamAdmin(
  deps: ReviewPlatformDeps & { livestreams: LivestreamRepository; findActivity: (id: string) => Promise<ActivityView | null>; allowlist: readonly string[] },
) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.livestreams,
    schema: LivestreamInput,
    label: '直播',
    errors: REVIEW_ERRORS,
    events: { published: EventName.LIVESTREAM_PUBLISHED, withdrawn: EventName.LIVESTREAM_WITHDRAWN, idField: 'livestreamId' },
    checkContent(l) {
      if (!l.replayUrl) return;
      const checked = checkWebviewUrl(l.replayUrl, deps.allowlist);
      if (!checked.ok) throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: 'replayUrl', message: checked.reason }] });
    },
    async checkPublishable(content) {
      for (const [i, id] of content.activityIds.entries()) {
        const view = await deps.findActivity(id);
        if (!view || view.liveRevision === null || view.withdrawn)
          throw new AppError('VALIDATION_RULE_FAILED', { issues: [{ path: `activityIds.${i}`, message: '关联的活动须已发布且未下线' }] });
      }
    },
  });
}
export type LivestreamAdmin = ReturnType<typeof createLivestreamAdmin>;

/** CSV columns: `channel`, `activityIds`, `itemIds` and `reminder` as JSON. */
export const csvRowToLivestream = csvRowReader({ json: new Set(['channel', 'activityIds', 'itemIds', 'reminder']), numbers: new Set() });
