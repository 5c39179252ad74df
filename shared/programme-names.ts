// The names of 经营目标与经营看板 (issue 31): metrics, channels, periods. Free of zod, like errors.ts,
// so the mini-program's 我的业绩 can name them without the schemas.

/** What a target can be set on: each counted in customers (distinct) over the period. */
export const PROGRAMME_METRICS = ['rm_new_customers', 'phone_bindings', 'monthly_active', 'participants', 'open_account', 'product_bought', 'aum_growth'] as const;
export type ProgrammeMetric = (typeof PROGRAMME_METRICS)[number];
export const programmeMetricNamesZh: Record<ProgrammeMetric, string> = {
  rm_new_customers: '客户经理新增客户',
  phone_bindings: '绑定手机客户',
  monthly_active: '月活跃客户',
  participants: '活动参与客户',
  open_account: '开户',
  product_bought: '购买产品',
  aum_growth: '资产提升客户',
};

/** How a participant came to the activity (the rule is in docs/features/steering.md, 经营看板). */
export const PARTICIPATION_CHANNELS = ['rm_poster', 'customer_share', 'trigger', 'organic'] as const;
export type ParticipationChannel = (typeof PARTICIPATION_CHANNELS)[number];
export const participationChannelNamesZh: Record<ParticipationChannel, string> = {
  rm_poster: '客户经理海报',
  customer_share: '客户分享',
  trigger: '事件营销',
  organic: '自然流量',
};

export const PERIOD_KINDS = ['month', 'quarter'] as const;
export const periodKindNamesZh = { month: '月度', quarter: '季度' } as const;
