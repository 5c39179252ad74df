import { z } from 'zod';
import { statedRules, trimmedText, whenField } from './common';
import { Reward } from './activities';
import { CONVERSION_KINDS } from './conversions';
import { adminDocument } from './review';
import { TagExpression } from './targeting';
import { TRACK_EVENT_TYPES } from './tracking';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams } from './common';

const isoDateTime = z.iso.datetime({ offset: true });

const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;
export const conditionOpNamesZh: Record<(typeof CONDITION_OPS)[number], string> = {
  eq: '等于',
  ne: '不等于',
  gt: '大于',
  gte: '大于等于',
  lt: '小于',
  lte: '小于等于',
  in: '属于其中之一',
};
const ACTION_KINDS = ['reward', 'activity', 'message'] as const;
export const triggerActionNamesZh: Record<(typeof ACTION_KINDS)[number], string> = { reward: '发放奖励', activity: '推荐活动', message: '发送订阅消息' };

/** One condition on the event's fields: `amountYuan gte 10000`, `productCode in [...]`, `props.position eq 1`. */
export const TriggerCondition = z
  .object({
    field: z
      .string()
      .regex(/^(page|activityId|itemId|productCode|amountYuan|props\.[a-z][a-z0-9_]{0,31})$/, '条件字段须为 page、activityId、itemId、productCode、amountYuan 或 props.xxx'),
    op: z.enum(CONDITION_OPS),
    value: z.union([
      z.string().max(64),
      z.number(),
      z.boolean(),
      z
        .array(z.union([z.string().max(64), z.number()]))
        .min(1)
        .max(50),
    ]),
  })
  .strict()
  .refine((c) => (c.op === 'in') === Array.isArray(c.value), { message: 'in 的值须为数组，其他比较的值不能是数组', path: ['value'] })
  .refine((c) => !['gt', 'gte', 'lt', 'lte'].includes(c.op) || typeof c.value === 'number', { message: '大小比较的值须为数字', path: ['value'] })
  .describe(statedRules('the value of in is an array, and of no other op; the value of gt, gte, lt and lte is a number.'))
  // The same rules, for the document.
  .meta({
    allOf: [
      whenField('op', ['in'], { properties: { value: { type: 'array' } } }, { properties: { value: { not: { type: 'array' } } } }),
      whenField('op', ['gt', 'gte', 'lt', 'lte'], { properties: { value: { type: 'number' } } }),
    ],
  });
export type TriggerCondition = z.infer<typeof TriggerCondition>;

const TriggerAction = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('reward'), reward: Reward, budget: z.object({ maxRewards: z.number().int().min(1).max(10_000_000), maxPoints: z.number().int().min(1).optional() }) })
    .strict(),
  z
    .object({
      kind: z.literal('activity'),
      activityId: z.string().min(1).max(64).describe('A live activity shown to the customer as 为您推荐; one that is not live is refused 422 (VALIDATION_RULE_FAILED)'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('message'),
      templateId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      page: z.string().regex(/^[a-z0-9/_-]{1,128}(\?[A-Za-z0-9=&_-]{0,128})?$/, '页面路径格式不正确'),
      data: z
        .record(z.string().regex(/^[a-z_]{1,20}[0-9]{0,2}$/), z.string().max(20))
        .refine((d) => Object.keys(d).length >= 1 && Object.keys(d).length <= 10, { message: '模板字段须为 1 到 10 个' })
        // The same rule, for the document.
        .meta({ minProperties: 1, maxProperties: 10 })
        .describe('The template fields: thing1, time2 …'),
    })
    .strict(),
]);
type TriggerAction = z.infer<typeof TriggerAction>;

/** The kind of customer event a rule listens to: an app behaviour event (埋点) or a bank report; also what a lead rule (商机) names. */
export const TriggerEvent = z.discriminatedUnion('source', [
  z.object({ source: z.literal('app'), name: z.enum(TRACK_EVENT_TYPES) }).strict(),
  z.object({ source: z.literal('bank'), name: z.enum(CONVERSION_KINDS) }).strict(),
]);
export type TriggerEvent = z.infer<typeof TriggerEvent>;

/**
 * 事件营销: when a customer's event matches (its kind, conditions on its fields, the customer's
 * tags), the action reaches them within the window after the event, once per trigger and
 * customer, within the daily cap, never for customers who opted out of personalised marketing
 * (PIPL art. 24) or said 不感兴趣. Reviewed like an activity.
 */
export const eventSourceNamesZh = { app: '小程序行为', bank: '银行业务' } as const satisfies Record<TriggerInput['event']['source'], string>;

export const TriggerInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('trigger'),
    orgUnitId: z.string().min(1).max(64),
    name: trimmedText(2).max(40),
    description: trimmedText(1).max(200).describe('What the customer is offered and why; checked for banned wording'),
    event: TriggerEvent,
    conditions: z.array(TriggerCondition).max(5).default([]),
    audience: TagExpression.optional().describe('Only customers whose tags match; everyone when left out'),
    windowMinutes: z.number().int().min(1).max(10_080).describe('The action reaches the customer at most this long after the event; later, never'),
    schedule: z.object({ startAt: isoDateTime, endAt: isoDateTime }),
    action: TriggerAction,
  })
  .strict()
  .refine((t) => Date.parse(t.schedule.endAt) > Date.parse(t.schedule.startAt), { message: '结束时间必须晚于开始时间', path: ['schedule', 'endAt'] })
  .describe(statedRules('schedule.endAt after schedule.startAt.'));
export type TriggerInput = z.infer<typeof TriggerInput>;

const AdminTrigger = adminDocument(['trigger'], 'AdminTrigger');

const TriggerStats = z.object({
  triggerId: z.string(),
  fired: z.number().int().describe('Customers the trigger fired for (once each), the withheld included'),
  capped: z.number().int().describe("Matched, but the customer had had the day's offers"),
  withheld: z
    .number()
    .int()
    .describe(
      'Fired, but not acted on: right before acting (at once, or when the sweep finished a firing a crash cut short) the customer had opted out, said 不感兴趣 or withdrawn consent, or the trigger was withdrawn or its window had passed; or its reward could not be paid at all (draw chances for a draw that is gone)',
    ),
  budgetExhausted: z.number().int().describe('Fired, but the reward budget was spent: nothing given, the outcome recorded, nothing retried'),
});

/**
 * An offer a trigger made to a customer (为您推荐), newest first. None is listed while the
 * customer has personalised marketing off; kept offers show again if they switch it back on.
 */
export const MyOffer = z.object({
  id: z.string(),
  triggerId: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(ACTION_KINDS),
  activityId: z.string().nullable().describe('An activity offer: listed only while the activity is live'),
  at: z.string(),
});
export type MyOffer = z.infer<typeof MyOffer>;
const MyOffers = z.object({ items: z.array(MyOffer) });

const OfferDismissal = z.object({ hideAll: z.boolean().default(false).describe('不再接收此类推荐: no triggered offers at all') }).strict();

export const triggerReview = reviewedOperations({
  path: '/admin/triggers',
  tag: 'admin:triggers',
  noun: { one: 'Trigger', many: 'Triggers' },
  label: '事件营销规则',
  input: TriggerInput,
  admin: AdminTrigger,
  csvNote: 'event、conditions、audience、schedule、action 列为 JSON',
  usedBy: ['getTriggerStats'],
});

const OfferParams = z.object({ id: z.string().min(1).max(200) });

export const triggersApi = {
  ...byOperationId(triggerReview),
  ...endpoints({
    getTriggerStats: {
      method: 'get',
      path: '/admin/triggers/:id/stats',
      operationId: 'getTriggerStats',
      summary: '事件营销规则效果：已触发客户数、因每日上限未触达数、触发后因客户关闭个性化推荐/不感兴趣/撤回同意等未执行数',
      tags: ['admin:triggers'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: TriggerStats } },
    },
    listMyOffers: {
      method: 'get',
      path: '/me/offers',
      operationId: 'listMyOffers',
      summary: '为您推荐：事件营销为我推送的内容（不含已表示不感兴趣的；关闭个性化推荐期间不显示任何推荐，重新开启后仍有效的推荐恢复显示）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Newest first', schema: MyOffers } },
    },
    dismissMyOffer: {
      method: 'post',
      path: '/me/offers/:id/dismiss',
      operationId: 'dismissMyOffer',
      summary: '不感兴趣：不再收到这条规则的推荐（hideAll：不再收到任何事件推荐）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: OfferParams,
      body: OfferDismissal,
      responses: { 204: { description: 'Done' } },
    },
  }),
};
