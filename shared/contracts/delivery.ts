import { z } from 'zod';

/**
 * An event as the bank receives it, from either source: a behaviour event (埋点) from the
 * mini-program, or a domain event (an outcome: a reward issued, an order confirmed). `id` is
 * stable across every delivery of the same event, so the bank dedupes on it. Nothing in it
 * is personal data: customers and staff appear by their internal ids only.
 */
export const DeliveredEvent = z.object({
  id: z.string(),
  source: z.enum(['behaviour', 'domain']),
  name: z.string().describe('A behaviour type (page_view, click, …) or a domain event name (reward.issued, …)'),
  occurredAt: z.string().describe('ISO 8601: the client time of a behaviour event, the outcome time of a domain event'),
  recordedAt: z.string().describe('ISO 8601: when the BFF kept it'),
  customerId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type DeliveredEvent = z.infer<typeof DeliveredEvent>;

/** The body of one webhook call: a batch with its own id (one id per attempt set, kept across its retries). */
export const DeliveryBatch = z.object({ batchId: z.string(), events: z.array(DeliveredEvent) });
export type DeliveryBatch = z.infer<typeof DeliveryBatch>;

export const DELIVERY_SINKS = ['webhook', 'ndjson'] as const;
export type DeliverySink = (typeof DELIVERY_SINKS)[number];

export const SinkStatus = z.object({
  sink: z.enum(DELIVERY_SINKS),
  pending: z.number().int().describe('Events waiting to be delivered (including those backing off)'),
  oldestPendingAt: z.string().nullable(),
  lagSeconds: z.number().describe('Age of the oldest waiting event; 0 when nothing waits'),
  deadLetters: z.number().int(),
  lastHour: z.object({
    batches: z.number().int(),
    delivered: z.number().int().describe('Events in batches the sink accepted'),
    failedAttempts: z.number().int().describe('Batches that failed and will be retried or dead-lettered'),
    eventsPerSecond: z.number(),
  }),
  lastDeliveredAt: z.string().nullable(),
});
export const DeliveryStatus = z.object({ sinks: z.array(SinkStatus) });
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeadLetterQuery = z.object({
  sink: z.enum(DELIVERY_SINKS).default('webhook'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const DeadLetter = z.object({ id: z.string(), sink: z.enum(DELIVERY_SINKS), name: z.string(), attempts: z.number().int(), lastError: z.string(), deadAt: z.string() });
export const DeadLetterPage = z.object({ items: z.array(DeadLetter), total: z.number().int() });

export const ReplayInput = z
  .object({
    sink: z.enum(DELIVERY_SINKS),
    ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional().describe('Dead letters to send again; all of the sink\'s when left out'),
  })
  .strict();
export const ReplayResult = z.object({ replayed: z.number().int() });
