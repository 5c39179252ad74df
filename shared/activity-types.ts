// Activity and task types with their Chinese names. Kept free of zod, like errors.ts: the
// mini-program imports these values, and a schema library in its bundle would cost 100 KB.

export const ACTIVITY_TYPES = ['quiz', 'draw', 'assist', 'invite', 'mall', 'task', 'service', 'live'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const activityTypeNamesZh: Record<ActivityType, string> = {
  quiz: '答题',
  draw: '抽奖',
  assist: '助力',
  invite: '邀请有礼',
  mall: '商城促销',
  task: '任务',
  service: '生活服务',
  live: '直播',
};

/** What a task activity asks the customer to do. */
export const TASK_KINDS = ['view', 'quiz', 'invite', 'bind_phone', 'first_service', 'watch_live'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const taskKindNamesZh: Record<TaskKind, string> = {
  view: '浏览活动',
  quiz: '完成答题',
  invite: '邀请好友',
  bind_phone: '绑定手机号',
  first_service: '首次使用生活服务',
  watch_live: '观看直播',
};

/**
 * Types a customer takes part in by joining (a livestream reservation, 预约直播), which pays
 * the participation reward once. The others are taken part in their own way: a quiz by passing
 * it, a task by doing it, an invite by inviting, a mall promotion in the mall, a draw and an
 * assist on their own pages; life services once their feature is open; never by a join that does nothing.
 */
export const JOINABLE_TYPES: readonly ActivityType[] = ['live'];
