// The words of marketing tasks (营销任务), free of zod like errors.ts, so the mini-program names
// them without bundling a schema library: the contract (contracts/marketing-tasks.ts) uses the same.

/** What head office or a branch asks its relationship managers to do. */
export const RM_TASK_TYPES = ['share_poster', 'send_content', 'follow_up'] as const;
export type RmTaskType = (typeof RM_TASK_TYPES)[number];
export const rmTaskTypeNamesZh: Record<RmTaskType, string> = { share_poster: '分享活动海报', send_content: '发送内容', follow_up: '客户跟进' };

export const RM_TASK_STATES = ['upcoming', 'running', 'ended'] as const;
export const rmTaskStateNamesZh: Record<(typeof RM_TASK_STATES)[number], string> = { upcoming: '未开始', running: '进行中', ended: '已结束' };
