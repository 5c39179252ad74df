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
  DRAW_DRAWN: 'draw.drawn',
  DRAW_PRIZE_SHIPPED: 'draw.prize_shipped',
} as const;

export type EventName = (typeof EventName)[keyof typeof EventName];
