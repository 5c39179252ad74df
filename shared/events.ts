// Names of domain events the BFF records in its outbox for the bank's systems.
export const EventName = {
  CUSTOMER_REGISTERED: 'customer.registered',
  REFRESH_TOKEN_REUSED: 'security.refresh_token_reused',
  ACTIVITY_PUBLISHED: 'activity.published',
  ACTIVITY_WITHDRAWN: 'activity.withdrawn',
  REWARD_ISSUED: 'reward.issued',
  POINTS_EXPIRED: 'points.expired',
  POINTS_ADJUSTED: 'points.adjusted',
} as const;

export type EventName = (typeof EventName)[keyof typeof EventName];
