/** How a relationship manager followed a customer up, for a task or a lead: one vocabulary for both. */
export const FOLLOW_UP_METHODS = ['call', 'wecom', 'visit'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];
export const followUpMethodNamesZh: Record<FollowUpMethod, string> = { call: '电话', wecom: '企业微信', visit: '上门拜访' };

export const FOLLOW_UP_OUTCOMES = ['interested', 'appointment', 'no_need', 'unreachable'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const followUpOutcomeNamesZh: Record<FollowUpOutcome, string> = { interested: '有意向', appointment: '已预约到店', no_need: '暂无需求', unreachable: '未联系上' };
