import { z } from 'zod';
import { statedRules, trimmedText, whenField, absent, IdParams } from './common';
import { adminDocument } from './review';
import { PosterSpec, Share } from './referrals';
import { TagExpression } from './targeting';
import { FOLLOW_UP_METHODS, FOLLOW_UP_OUTCOMES } from './follow-ups';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { RM_TASK_STATES, RM_TASK_TYPES, type RmTaskType } from '../marketing-task-names';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

const isoDateTime = z.iso.datetime({ offset: true });

export { RM_TASK_TYPES, rmTaskTypeNamesZh, rmTaskStateNamesZh, type RmTaskType } from '../marketing-task-names';
/** What a task's goal counts, per manager, by its type. */
export const rmTaskGoalNamesZh: Record<RmTaskType, string> = { share_poster: '经分享到访客户', send_content: '打开内容的客户', follow_up: '跟进客户' };

/**
 * A marketing task: released to the relationship managers of `unitIds` (each manager whose unit
 * is one of them or below one) for its window, after a second person approves it. Its goal is
 * per manager and measured, not declared: customers who arrived through the manager's share of
 * the poster, customers who opened the content the manager sent, customers of theirs they
 * followed up (at most as many as their list holds).
 */
export const RmTaskInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.enum(RM_TASK_TYPES),
    orgUnitId: z.string().min(1).max(64).describe('The unit that issues the task'),
    title: trimmedText(2).max(40),
    description: trimmedText(1).max(300).describe('What to do and how to say it; checked for banned wording'),
    unitIds: z.array(z.string().min(1).max(64)).min(1).max(50).describe('The units whose managers (and those of every unit below) receive it; each in the issuer’s subtree'),
    startAt: isoDateTime,
    endAt: isoDateTime,
    activityId: z.string().min(1).max(64).optional().describe('share_poster: the live activity on the poster'),
    contentId: z.string().min(1).max(64).optional().describe('send_content: the piece of the content library to send'),
    audience: TagExpression.optional().describe('follow_up: which of each manager’s customers to follow up; all of them when left out'),
    goal: z.number().int().min(1).max(10_000).describe('Per manager: customers arrived, customers who opened, or customers followed up'),
  })
  .strict()
  .refine((t) => Date.parse(t.endAt) > Date.parse(t.startAt), { message: '结束时间必须晚于开始时间', path: ['endAt'] })
  .refine((t) => (t.type === 'share_poster') === (t.activityId !== undefined), { message: '分享活动海报须选择活动，其他任务不选活动', path: ['activityId'] })
  .refine((t) => (t.type === 'send_content') === (t.contentId !== undefined), { message: '发送内容须选择内容，其他任务不选内容', path: ['contentId'] })
  .refine((t) => t.type === 'follow_up' || t.audience === undefined, { message: '只有客户跟进任务可以圈选客户', path: ['audience'] })
  .describe(
    statedRules(
      'endAt after startAt; activityId exactly for share_poster, contentId exactly for send_content, audience only for follow_up; each of unitIds in the issuer’s subtree; the activity live and the content usable by those units.',
    ),
  )
  .meta({
    allOf: [
      whenField('type', ['share_poster'], { required: ['activityId'] }, absent('activityId')),
      whenField('type', ['send_content'], { required: ['contentId'] }, absent('contentId')),
      whenField('type', ['follow_up'], {}, absent('audience')),
    ],
  });
export type RmTaskInput = z.infer<typeof RmTaskInput>;
const AdminRmTask = adminDocument(RM_TASK_TYPES, 'AdminRmTask');

/** One manager's execution of one task, counted from what happened. */
const RmTaskProgress = z.object({
  shared: z.boolean().describe('The manager has made the poster or the share (share_poster, send_content)'),
  arrivals: z.number().int().describe('share_poster: customers who arrived through the manager’s share, once each'),
  newCustomers: z.number().int().describe('share_poster: of them, new customers it brought'),
  opens: z.number().int().describe('send_content: customers who opened it through the manager’s share, once each'),
  followUps: z.number().int().describe('follow_up: customers followed up'),
  listSize: z.number().int().describe('follow_up: customers on the manager’s list'),
  goal: z.number().int().describe('What completes the task for this manager (follow_up: at most the list’s size)'),
  done: z.boolean(),
});
export type RmTaskProgress = z.infer<typeof RmTaskProgress>;

export const RmTaskCard = z.object({
  id: z.string(),
  type: z.enum(RM_TASK_TYPES),
  title: z.string(),
  description: z.string(),
  issuer: z.string().describe('The issuing unit, by name'),
  startAt: z.string(),
  endAt: z.string(),
  state: z.enum(RM_TASK_STATES),
  activity: z.object({ id: z.string(), title: z.string() }).nullable(),
  content: z.object({ id: z.string(), title: z.string() }).nullable(),
  progress: RmTaskProgress,
});
export type RmTaskCard = z.infer<typeof RmTaskCard>;

const FollowUpFields = {
  method: z.enum(FOLLOW_UP_METHODS),
  outcome: z.enum(FOLLOW_UP_OUTCOMES),
  note: z.string().trim().max(200).default('').describe('What was said or agreed; no personal data (a phone or ID number is refused)'),
};

/** A customer on a manager's follow-up list, masked, with the follow-up if there is one. */
const RmTaskCustomer = z.object({
  customerId: z.string(),
  name: z.string().describe('Masked'),
  phone: z.string().nullable().describe('Masked'),
  followUp: z.object({ ...FollowUpFields, at: z.string() }).nullable(),
});
export const RmTaskDetail = RmTaskCard.extend({
  customers: z.array(RmTaskCustomer).describe('follow_up: my list (empty for other types)'),
});
export type RmTaskDetail = z.infer<typeof RmTaskDetail>;

export const FollowUpInput = z.object({ customerId: z.string().min(1).max(64), ...FollowUpFields }).strict();
export type FollowUpInput = z.infer<typeof FollowUpInput>;

const TaskShare = z.object({
  poster: PosterSpec.nullable().describe('share_poster: the poster carrying my task scene'),
  share: Share.nullable().describe('send_content: the link to the content carrying my task scene'),
});

/** A task's execution as staff read it: every manager it reached in the reader's subtree, and the totals. */
export const RmTaskExecution = z.object({
  taskId: z.string(),
  managers: z.number().int().describe('Managers it reached (in the reader’s subtree)'),
  completed: z.number().int().describe('Of them, those whose goal is met'),
  rows: z.array(
    z.object({
      rmId: z.string(),
      name: z.string().describe('The manager’s name; masked for a reader outside the manager’s branch line'),
      unitId: z.string(),
      unitName: z.string(),
      progress: RmTaskProgress,
    }),
  ),
});
export type RmTaskExecution = z.infer<typeof RmTaskExecution>;

/** A released task as the staff of a subtree it reaches list it, with how many of their managers have met its goal. */
export const ReachingRmTask = z.object({
  id: z.string(),
  type: z.enum(RM_TASK_TYPES),
  title: z.string(),
  issuer: z.string().describe('The issuing unit, by name'),
  startAt: z.string(),
  endAt: z.string(),
  state: z.enum(RM_TASK_STATES),
  managers: z.number().int().describe('Managers it reached in the reader’s subtree'),
  completed: z.number().int(),
});
export type ReachingRmTask = z.infer<typeof ReachingRmTask>;

export const rmTaskReview = reviewedOperations({
  path: '/admin/rm-tasks',
  tag: 'admin:rm-tasks',
  noun: { one: 'RmTask', many: 'RmTasks' },
  label: '营销任务',
  input: RmTaskInput,
  admin: AdminRmTask,
  csvNote: 'unitIds、audience 列为 JSON',
  usedBy: ['getRmTaskExecution'],
});

export const marketingTasksApi = {
  ...byOperationId(rmTaskReview),
  ...endpoints({
    listRmTaskExecutions: {
      method: 'get',
      path: '/admin/rm-task-executions',
      operationId: 'listRmTaskExecutions',
      summary: '下达到本机构及下级机构的营销任务（含上级机构下达的）：进行中、未开始与近 30 天结束的，及完成人数',
      tags: ['admin:rm-tasks'],
      access: [Role.ADMIN, Role.REVIEWER],
      responses: { 200: { description: 'Running first', schema: z.object({ items: z.array(ReachingRmTask) }) } },
    },
    getRmTaskExecution: {
      method: 'get',
      path: '/admin/rm-tasks/:id/execution',
      operationId: 'getRmTaskExecution',
      summary: '营销任务执行情况：本机构及下级机构每位客户经理的分享、到访、打开、跟进与完成情况',
      tags: ['admin:rm-tasks'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'Each manager reached, in the reader’s subtree', schema: RmTaskExecution } },
    },
    listMyRmTasks: {
      method: 'get',
      path: '/rm/tasks',
      operationId: 'listMyRmTasks',
      summary: '我的任务：发给我所在机构的进行中与近期结束的营销任务，及我的完成情况',
      tags: ['rm:tasks'],
      access: [Role.RM],
      responses: { 200: { description: 'Running first, then ended in the last 30 days', schema: z.object({ items: z.array(RmTaskCard) }) } },
    },
    getMyRmTask: {
      method: 'get',
      path: '/rm/tasks/:id',
      operationId: 'getMyRmTask',
      summary: '任务详情与我的完成情况；客户跟进任务含我的跟进名单（脱敏）',
      tags: ['rm:tasks'],
      access: [Role.RM],
      params: IdParams,
      responses: { 200: { description: 'The task as it reached me', schema: RmTaskDetail } },
    },
    shareMyRmTask: {
      method: 'post',
      path: '/rm/tasks/:id/share',
      operationId: 'shareMyRmTask',
      summary: '生成带我任务场景值的海报或内容链接（经此到访、打开的客户计入我的任务）',
      tags: ['rm:tasks'],
      access: [Role.RM],
      params: IdParams,
      responses: { 200: { description: 'The poster or the link', schema: TaskShare }, 409: { description: 'A follow-up task has nothing to share, or the task is not running' } },
    },
    recordRmTaskFollowUp: {
      method: 'post',
      path: '/rm/tasks/:id/follow-ups',
      operationId: 'recordRmTaskFollowUp',
      summary: '记录一位客户的跟进（方式、结果、备注），每个任务每位客户一次',
      tags: ['rm:tasks'],
      access: [Role.RM],
      params: IdParams,
      body: FollowUpInput,
      responses: {
        201: { description: 'Recorded', schema: RmTaskDetail },
        404: { description: 'Not a running task of mine, or not a customer on my list' },
        409: { description: 'This customer was already followed up for this task' },
      },
    },
  }),
};
