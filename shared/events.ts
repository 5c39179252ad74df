// Names of domain events the BFF records in its outbox for the bank's systems.
export const EventName = {
  CUSTOMER_REGISTERED: 'customer.registered',
  CUSTOMER_PHONE_BOUND: 'customer.phone_bound',
  CUSTOMER_DELETION_REQUESTED: 'customer.deletion_requested',
  INVITE_ACCEPTED: 'invite.accepted',
  REFERRAL_ATTRIBUTED: 'referral.attributed',
  REFRESH_TOKEN_REUSED: 'security.refresh_token_reused',
  ACTIVITY_PUBLISHED: 'activity.published',
  ACTIVITY_WITHDRAWN: 'activity.withdrawn',
  /** A customer opened a live activity (completes "view" tasks). */
  ACTIVITY_VIEWED: 'activity.viewed',
  /** The arms a customer was first found in, per activity aimed at them: treatment (shown) or control (held back), for experiment figures. */
  ACTIVITY_ARMS_ASSIGNED: 'activity.arms_assigned',
  REWARD_ISSUED: 'reward.issued',
  POINTS_EXPIRED: 'points.expired',
  POINTS_ADJUSTED: 'points.adjusted',
  MALL_ITEM_PUBLISHED: 'mall.item_published',
  MALL_ITEM_WITHDRAWN: 'mall.item_withdrawn',
  MALL_ORDER_CONFIRMED: 'mall.order_confirmed',
  MALL_ORDER_FAILED: 'mall.order_failed',
  MALL_ORDER_CANCELLED: 'mall.order_cancelled',
  MALL_ORDER_SHIPPED: 'mall.order_shipped',
  MALL_STOCK_ADJUSTED: 'mall.stock_adjusted',
  QUIZ_QUESTION_PUBLISHED: 'quiz.question_published',
  QUIZ_QUESTION_WITHDRAWN: 'quiz.question_withdrawn',
  /** A customer passed a quiz for the first time (completes "finish a quiz" tasks); `passedAt` is when, whenever it is recorded. */
  QUIZ_PASSED: 'quiz.passed',
  DRAW_DRAWN: 'draw.drawn',
  TRIGGER_PUBLISHED: 'trigger.published',
  TRIGGER_WITHDRAWN: 'trigger.withdrawn',
  TRIGGER_FIRED: 'trigger.fired',
  LIFE_SERVICE_PUBLISHED: 'life.service_published',
  LIFE_SERVICE_WITHDRAWN: 'life.service_withdrawn',
  COUPON_PUBLISHED: 'coupon.published',
  COUPON_WITHDRAWN: 'coupon.withdrawn',
  COUPON_CLAIMED: 'coupon.claimed',
  COUPON_USED: 'coupon.used',
  LIVESTREAM_PUBLISHED: 'livestream.published',
  LIVESTREAM_WITHDRAWN: 'livestream.withdrawn',
  LIVESTREAM_REMINDER_SENT: 'livestream.reminder_sent',
  DRAW_PRIZE_SHIPPED: 'draw.prize_shipped',
  // Head office steers, branches and managers execute (issue 31). Each names the manager (`rmId`) it counts for.
  RM_TASK_PUBLISHED: 'rm_task.published',
  RM_TASK_WITHDRAWN: 'rm_task.withdrawn',
  /** A manager shared a marketing task's poster or content (first time per task and manager): { taskId, rmId }. */
  RM_TASK_SHARED: 'rm_task.shared',
  /** A customer arrived through a manager's task scene, once per task and customer: { taskId, rmId, newCustomer }. */
  RM_TASK_ARRIVAL: 'rm_task.arrival',
  /** A manager recorded a follow-up of one of their customers for a task, once per task and customer: { taskId, rmId, method, outcome }. */
  RM_TASK_FOLLOWED_UP: 'rm_task.followed_up',
  /** A customer opened a piece of the content library, once per content, sharer and customer: { contentId, rmId | null, taskId | null }. */
  CONTENT_OPENED: 'content.opened',
  /** A piece of the content library went live (approved), or was withdrawn: { contentId, code, … }. */
  CONTENT_PUBLISHED: 'content.published',
  CONTENT_WITHDRAWN: 'content.withdrawn',
  /** A lead rule turned a customer's event into a follow-up for their manager, or a hand-over passed an open one on: { leadId, ruleId, rmId, dueAt, firstLeadId? }. */
  LEAD_CREATED: 'lead.created',
  /** The manager followed a lead up: { leadId, ruleId, rmId, outcome, withinSla }. */
  LEAD_FOLLOWED_UP: 'lead.followed_up',
  /** A lead was not followed up within its SLA and went to the branch: { leadId, ruleId, rmId, unitId }. */
  LEAD_ESCALATED: 'lead.escalated',
  /** A lead rule went live (a revision approved) or was withdrawn: { ruleId, … }. */
  LEAD_RULE_PUBLISHED: 'lead_rule.published',
  LEAD_RULE_WITHDRAWN: 'lead_rule.withdrawn',
  /** A programme target (经营目标) approved or withdrawn: { targetId, code, revision, orgUnitId }. */
  PROGRAMME_TARGET_PUBLISHED: 'programme_target.published',
  PROGRAMME_TARGET_WITHDRAWN: 'programme_target.withdrawn',
} as const;

export type EventName = (typeof EventName)[keyof typeof EventName];
