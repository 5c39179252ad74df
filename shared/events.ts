// Names of domain events the BFF records in its outbox for the bank's systems.
export const EventName = {
  CUSTOMER_REGISTERED: 'customer.registered',
  REFRESH_TOKEN_REUSED: 'security.refresh_token_reused',
} as const;

export type EventName = (typeof EventName)[keyof typeof EventName];
