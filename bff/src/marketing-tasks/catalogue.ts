import { RmTaskInput } from '@shared/contracts/marketing-tasks';
import { EventName } from '@shared/events';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { OrgDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';
import type { TaskContent } from './service';

export type RmTaskView = ReviewedView<RmTaskInput> & { live: RmTaskInput };

/** How long an ended task stays in the workbench (and on offer to the books' readers) after its end. */
export const SHOWN_AFTER_END_MS = 30 * 86_400_000;

export const createRmTaskRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<RmTaskInput, object>(
    db,
    clock,
    // Listed from its approval (未开始) until a month after its end (已结束, with the result).
    { name: 'rm_task', viewCollection: 'rm_tasks', window: (t) => ({ start: new Date(0), end: new Date(Date.parse(t.endAt) + SHOWN_AFTER_END_MS) }), extra: () => ({}) },
    faults,
  );
export type RmTaskRepository = ReturnType<typeof createRmTaskRepository>;

export type TaskState = 'upcoming' | 'running' | 'ended';
export const taskStateOf = (t: Pick<RmTaskInput, 'startAt' | 'endAt'>, now: Date): TaskState =>
  now.getTime() < Date.parse(t.startAt) ? 'upcoming' : now.getTime() < Date.parse(t.endAt) ? 'running' : 'ended';

/**
 * 营销任务, reviewed like activities. A task goes only to units in its issuer's subtree; a poster
 * task only for an activity live for every unit it goes to (an activity of that unit or of one
 * above it: what the managers' poster offers them), a content task only for a piece every unit
 * it goes to may use, valid until the task ends.
 */
export function createRmTaskAdmin(
  deps: ReviewPlatformDeps & {
    tasks: RmTaskRepository;
    org: OrgDirectory;
    findActivity: (id: string) => Promise<ActivityView | null>;
    findContent: TaskContent['find'];
  },
) {
  const refuse = (path: string, message: string) => new AppError('VALIDATION_RULE_FAILED', { issues: [{ path, message }] });
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.tasks,
    schema: RmTaskInput,
    label: '营销任务',
    errors: REVIEW_ERRORS,
    events: { published: EventName.RM_TASK_PUBLISHED, withdrawn: EventName.RM_TASK_WITHDRAWN, idField: 'taskId' },
    async checkPublishable(t) {
      const [subtree, units] = await Promise.all([deps.org.subtreeIds(t.orgUnitId), deps.org.findByIds(t.unitIds)]);
      for (const [i, id] of t.unitIds.entries()) {
        if (!subtree.includes(id)) throw refuse(`unitIds.${i}`, '只能下达给本机构或下级机构');
      }
      if (t.activityId) {
        const view = await deps.findActivity(t.activityId);
        if (!view?.live || view.withdrawn) throw refuse('activityId', '活动须已发布且未下线');
        if (view.liveEnd && view.liveEnd.getTime() < Date.parse(t.endAt)) throw refuse('activityId', '活动须在任务结束前一直进行');
        const outside = units.find((u) => !u.path.includes(view.orgUnitId));
        if (outside) throw refuse('activityId', `「${outside.name}」的客户经理不能分享这个活动（活动不属于该机构或其上级机构）`);
      }
      if (t.contentId) {
        const content = await deps.findContent(t.contentId);
        if (!content) throw refuse('contentId', '内容须已发布且未下线');
        if (Date.parse(content.endAt) < Date.parse(t.endAt)) throw refuse('contentId', '内容须在任务结束前一直有效');
        const outside = units.find((u) => !u.path.some((p) => content.unitIds.includes(p)));
        if (outside) throw refuse('contentId', `「${outside.name}」不在这条内容的适用机构内`);
      }
    },
  });
}
export type RmTaskAdmin = ReturnType<typeof createRmTaskAdmin>;

/** CSV columns: `unitIds` and `audience` as JSON. */
export const csvRowToRmTask = csvRowReader({ json: new Set(['unitIds', 'audience']), numbers: new Set(['goal']) });
