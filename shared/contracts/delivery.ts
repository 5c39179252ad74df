import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

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
  seq: z
    .number()
    .int()
    .nullable()
    .describe(
      "The event's place among its customer's events (1, 2, 3 … in the order the BFF kept them; null without a customer). A customer's events are sent in this order; a dead letter replayed later, or a resend after a failure, arrives after later ones, so order by seq and dedupe by id. A number is never given to two events; rarely one goes unused (an event dead-lettered for personal data).",
    ),
  data: z.record(z.string(), z.unknown()),
});
export type DeliveredEvent = z.infer<typeof DeliveredEvent>;

/** The body of one webhook call: a batch with its own id (one id per attempt set, kept across its retries). */
export const DeliveryBatch = z.object({ batchId: z.string(), events: z.array(DeliveredEvent) });
export type DeliveryBatch = z.infer<typeof DeliveryBatch>;

const DELIVERY_SINKS = ['webhook', 'ndjson'] as const;
export type DeliverySink = (typeof DELIVERY_SINKS)[number];
export const deliverySinkNamesZh: Record<DeliverySink, string> = { webhook: '银行接口（Webhook）', ndjson: '每日 NDJSON 文件' };

const SinkStatus = z.object({
  sink: z.enum(DELIVERY_SINKS),
  pending: z.number().int().describe('Events waiting to be delivered (including those backing off)'),
  oldestPendingAt: z.string().nullable(),
  lagSeconds: z.number().describe('Age of the oldest waiting event; 0 when nothing waits'),
  deadLetters: z.number().int(),
  circuit: z
    .object({
      state: z
        .enum(['closed', 'open'])
        .describe('open: the sink failed every batch lately and is taken to be down; failed attempts do not count against events until it answers again'),
      since: z.string().nullable(),
      failuresInARow: z.number().int(),
    })
    .describe("The sink's circuit breaker"),
  lastHour: z.object({
    batches: z.number().int(),
    delivered: z.number().int().describe('Events the sink accepted for the first time'),
    duplicates: z.number().int().describe('Events the sink accepted again (a batch resent after a failure or a crash)'),
    failedAttempts: z.number().int().describe('Batches that failed and will be retried or dead-lettered'),
    eventsPerSecond: z.number(),
  }),
  lastDeliveredAt: z.string().nullable(),
});
const Publishing = z.object({ intents: z.number().int().describe("Kept events' batches not yet numbered and queued"), oldestAt: z.string().nullable() });
export const DeliveryStatus = z.object({ publishing: Publishing, sinks: z.array(SinkStatus) });
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

const DeadLetterQuery = z.object({
  sink: z.enum(DELIVERY_SINKS).default('webhook'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(300).optional().describe("The page's start: the previous page's nextCursor"),
});
export const DEAD_LETTER_REASONS = ['attempts', 'refused', 'personal_data'] as const;
export const deadLetterReasonNamesZh: Record<(typeof DEAD_LETTER_REASONS)[number], string> = {
  attempts: '多次投递失败',
  refused: '银行拒收该事件',
  personal_data: '含个人信息，已拦截（不可重投）',
};
export const DeadLetter = z.object({
  id: z.string(),
  sink: z.enum(DELIVERY_SINKS),
  name: z.string(),
  seq: z.number().int().nullable(),
  reason: z
    .enum(DEAD_LETTER_REASONS)
    .describe('attempts: failed too often while the sink was up; refused: the sink refused this event alone; personal_data: never sent, never replayed'),
  attempts: z.number().int(),
  lastError: z.string(),
  deadAt: z.string(),
});
const DeadLetterPage = z.object({
  items: z.array(DeadLetter),
  total: z.number().int(),
  nextCursor: z.string().nullable().describe('Where the next page starts; null on the last page'),
});

const ReplayInput = z
  .object({
    sink: z.enum(DELIVERY_SINKS),
    ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional().describe("Dead letters to send again; all of the sink's when left out"),
  })
  .strict();
const ReplayResult = z.object({ replayed: z.number().int() });

const DeliveryInvariantsQuery = z.object({ day: z.iso.date().optional().describe('A bank day (Asia/Shanghai), by when the BFF kept the events; today when left out') }).strict();
export const DeliveryInvariants = z.object({
  day: z.string(),
  publishing: Publishing,
  sinks: z.array(
    z.object({
      sink: z.enum(DELIVERY_SINKS),
      kept: z.number().int().describe('Events kept that day and numbered for the bank'),
      waiting: z.number().int(),
      delivered: z.number().int(),
      deadLetters: z.number().int(),
      missing: z.number().int().describe('Kept, yet in none of the three states: must be 0 (the sweep queues any it finds again)'),
      inTwoStates: z.number().int().describe('Delivered but not yet off the queue: passes by itself'),
      gaps: z.array(z.string()).describe('Up to 50 of the missing event ids'),
    }),
  ),
  consistent: z.boolean(),
});
export type DeliveryInvariants = z.infer<typeof DeliveryInvariants>;

export const deliveryApi = endpoints({
  getDeliveryStatus: {
    method: 'get',
    path: '/admin/delivery',
    operationId: 'getDeliveryStatus',
    summary: '事件投递状况：各投递渠道（Webhook、NDJSON 文件）的积压、延迟、近一小时吞吐与失败重试、死信数',
    tags: ['admin:delivery'],
    access: [Role.ADMIN],
    responses: { 200: { description: 'Per sink', schema: DeliveryStatus } },
  },
  checkDeliveryInvariants: {
    method: 'get',
    path: '/admin/delivery/invariants',
    operationId: 'checkDeliveryInvariants',
    summary: '投递核对：某一天保留的每个事件，在每个投递渠道都恰好处于待投递、已投递、死信三者之一；列出缺口（应为 0）',
    tags: ['admin:delivery'],
    access: [Role.ADMIN],
    query: DeliveryInvariantsQuery,
    responses: { 200: { description: "The day's books per sink", schema: DeliveryInvariants } },
  },
  listDeadLetters: {
    method: 'get',
    path: '/admin/delivery/dead-letters',
    operationId: 'listDeadLetters',
    summary: '死信：多次投递失败后不再自动重试的事件',
    tags: ['admin:delivery'],
    access: [Role.ADMIN],
    query: DeadLetterQuery,
    responses: { 200: { description: 'Dead letters of one sink', schema: DeadLetterPage } },
  },
  replayDeadLetters: {
    method: 'post',
    path: '/admin/delivery/dead-letters/replay',
    operationId: 'replayDeadLetters',
    summary: '重放死信：放回投递队列重新计数重试（留痕）；不指定 ids 时重放该渠道全部死信',
    tags: ['admin:delivery'],
    access: [Role.ADMIN],
    body: ReplayInput,
    responses: { 200: { description: 'How many went back to the queue', schema: ReplayResult } },
  },
});
