/**
 * What operations staff call each piece of background work (运行监控 › 后台任务), by its name in
 * the job books: a module's job or sweep (`<module>.<job>`), or the job whose items run each alone.
 * "补完" is work a crash cut short, finished from its keyed marker.
 */
const JOB_NAMES_ZH = {
  'activities.steps': '活动审批生效补完',
  'activities.joins': '活动参与补完',
  'activities.offerPruned': '已下线活动整理',
  'auth.loginAttempts': '登录尝试记录清理',
  'checkin.pending': '签到奖励补完',
  'contentLibrary.contentSteps': '内容审批生效补完',
  'contentLibrary.contentPruned': '已下线内容整理',
  'coupons.couponSteps': '联名优惠券审批生效补完',
  'coupons.claims': '优惠券领取补完',
  'coupons.pools': '券码生成',
  'coupons.couponsPruned': '已下线优惠券整理',
  'coupons.poolLeases': '券码生成租约清理',
  'delivery.exportDays': '行为数据日文件封存',
  'delivery.gaps': '事件投递缺口检查',
  'delivery.purge': '投递记录清理',
  'delivery.publish': '事件发布',
  'draws.inFlight': '抽奖结果补完',
  'leads.pending': '商机判定补完',
  'leads.sla': '商机超时升级',
  'leads.handover': '商机随客户移交',
  'leads.ruleSteps': '商机规则审批生效补完',
  'leads.rulesPruned': '已下线商机规则整理',
  'life.serviceSteps': '生活服务审批生效补完',
  'livestreams.reminders': '直播开播提醒',
  'livestreams.livestreamSteps': '直播审批生效补完',
  'livestreams.reservations': '直播预约补完',
  'livestreams.livestreamsPruned': '已下线直播整理',
  'mall.orders': '商城订单补完',
  'mall.stockAdjustments': '库存调整补完',
  'mall.catalogueSteps': '商品审批生效补完',
  'mall.offerPruned': '已下线商品整理',
  'marketing-tasks.rmTaskSteps': '营销任务审批生效补完',
  'marketing-tasks.rmTaskFollowUps': '任务跟进记录补报',
  'marketing-tasks.follow-ups': '任务跟进记录补报',
  'marketing-tasks.rmTasksPruned': '已下线营销任务整理',
  'marketing-tasks.handover': '跟进名单随客户移交',
  'platform.bankNonces': '行内系统请求防重放记录清理',
  'platform.rateLimitHits': '限流计数清理',
  'points.expiredLots': '积分到期扣减',
  'points.books': '积分账本核对',
  'points.adjustments': '积分调整补完',
  'privacy.unfinished': '授权与删除请求补完',
  'programme.targetSteps': '经营目标审批生效补完',
  'programme.targetsPruned': '已下线经营目标整理',
  'quiz.questionSteps': '题目审批生效补完',
  'quiz.passes': '答题通关奖励补完',
  'quiz.submissions': '答题提交补完',
  'quiz.questionsPruned': '已下线题目整理',
  'referrals.pending': '邀请奖励补完',
  'referrals.holds': '邀请奖励暂扣审批补完',
  'referrals.handovers': '客户移交续跑',
  'referrals.handoverMoves': '客户移交（逐位客户）',
  'rewards.inFlight': '奖励发放补完',
  'rewards.books': '奖励账本核对',
  'staff.grants': '员工账号与权限变更补完',
  'triggers.firings': '事件营销触发补完',
  'triggers.triggerSteps': '事件营销规则审批生效补完',
  'triggers.triggersPruned': '已下线事件营销规则整理',
} as const satisfies Record<string, string>;

/** A job the books know by name: every one has its name for people (a subscriber's queue is named by the subscriber). */
export type JobName = keyof typeof JOB_NAMES_ZH | `feed.${string}`;

/** The modules that subscribe to the event feed (`feed.<subscriber>`), by what they do with it. */
const FEED_SUBSCRIBERS: Record<string, string> = {
  analytics: '运营分析',
  leads: '商机',
  'marketing-tasks': '营销任务',
  programme: '经营看板',
  referrals: '邀请',
  tasks: '任务中心',
  triggers: '事件营销',
};

/** The job's name for people, or null when it has none (then its name in the books is shown as it is). */
export function jobNameZh(name: string): string | null {
  if (Object.hasOwn(JOB_NAMES_ZH, name)) return JOB_NAMES_ZH[name as keyof typeof JOB_NAMES_ZH];
  const subscriber = /^feed\.(.+)$/.exec(name)?.[1];
  return subscriber && FEED_SUBSCRIBERS[subscriber] ? `事件订阅：${FEED_SUBSCRIBERS[subscriber]}` : null;
}
