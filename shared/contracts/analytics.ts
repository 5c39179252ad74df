import { z } from 'zod';
import { CONVERSION_KINDS } from './conversions';
import { endpoints } from '../api/endpoint';
import { IdParams } from './common';
import { Role } from '../roles';

const AnalyticsQuery = z.object({
  conversion: z.enum(CONVERSION_KINDS).optional().describe('The conversion the experiment counts; any reported conversion when left out'),
});

export const FUNNEL_STEPS = ['impression', 'click', 'participate', 'reward', 'convert'] as const;

/** The tables of the 活动效果 page, each exported as a CSV file of its own. */
export const ANALYTICS_TABLES = ['funnel', 'trend', 'experiment', 'difference', 'referral'] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/**
 * One name for each thing the figures speak of, used by the API's descriptions, the CSV and
 * the console alike, so a population is never called two things.
 */
export const ANALYTICS_LABELS = {
  steps: { impression: '曝光', click: '点击', participate: '参与', reward: '获奖励', convert: '转化' } satisfies Record<(typeof FUNNEL_STEPS)[number], string>,
  /** The intention-to-treat arm: customers aimed at and assigned to treatment, whatever they did next. */
  assigned: '实验组（已分组，含未触达）',
  /** Of them, those the activity reached: an impression recorded. */
  reached: '其中已触达（有曝光）',
  /** Customers aimed at and held back at random (`controlGroupPercent`). */
  control: '对照组',
  /** Assigned customers who took part: they chose to, so they are never compared with the control group. */
  participants: '参与者（自选，仅供参考）',
  noControl: '未设对照组',
  noControlReasons: { not_configured: '活动未设置对照比例（0%）', no_control_customers: '尚无客户被分入对照组' },
  reachedOtherWay: '经其他途径到达（人，不计入漏斗）',
  dropOff: '流失率',
} as const;

const FunnelStep = z.object({
  step: z.enum(FUNNEL_STEPS),
  customers: z
    .number()
    .int()
    .min(0)
    .describe("Distinct customers outside the control group who reached this step and every earlier one: a subset of the previous step's customers, so never more"),
  reachedOtherWay: z
    .number()
    .int()
    .min(0)
    .nullable()
    .describe(
      `${ANALYTICS_LABELS.reachedOtherWay}: customers who reached this step without every earlier one (a shared link, a card whose impression was not recorded, a conversion without a reward …); not in the funnel; null for the first step`,
    ),
  dropOff: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe(
      `${ANALYTICS_LABELS.dropOff}: 1 − customers ÷ the previous step's customers, in [0, 1] as the steps nest; null for the first step or when the previous step has no one`,
    ),
  medianSecondsFromPrevious: z
    .number()
    .min(0)
    .nullable()
    .describe(
      "Median time from first reaching the previous step to first reaching this one, over this step's customers (one who reached this step first counts 0); null when there are none",
    ),
});

const Arm = z.object({ customers: z.number().int().min(0), converted: z.number().int().min(0), rate: z.number().min(0).max(1) });

const NO_CONTROL_REASONS = ['not_configured', 'no_control_customers'] as const;

export const ActivityAnalytics = z.object({
  activityId: z.string(),
  funnel: z.array(FunnelStep),
  trend: z
    .array(z.object({ day: z.string(), impression: z.number().int(), click: z.number().int(), participate: z.number().int(), reward: z.number().int(), convert: z.number().int() }))
    .describe(
      'Customers outside the control group at each step, by the bank day (Asia/Shanghai) they were there, whether or not they reached the earlier steps; a customer counts once a day per step',
    ),
  experiment: z.object({
    conversion: z.string().describe('any, or one conversion kind'),
    controlGroupPercent: z.number().int().min(0).max(100).describe('The share of aimed-at customers the activity holds back at random'),
    assigned: Arm.describe(
      `${ANALYTICS_LABELS.assigned}: every customer aimed at by the activity and assigned to treatment (intention to treat), whether or not they saw it or took part; converted = a conversion reported after assignment`,
    ),
    reached: Arm.describe(`${ANALYTICS_LABELS.reached}: the assigned customers with an impression recorded (the funnel's first step); shown for reference, not compared`),
    control: Arm.nullable().describe(`${ANALYTICS_LABELS.control}: customers aimed at and held back at random; null when there is none (${ANALYTICS_LABELS.noControl})`),
    noControlReason: z
      .enum(NO_CONTROL_REASONS)
      .nullable()
      .describe(`Why there is no comparison (${ANALYTICS_LABELS.noControl}): controlGroupPercent is 0, or no customer has been held back yet; null when there is a control group`),
    participants: Arm.describe(
      `${ANALYTICS_LABELS.participants}: assigned customers who took part. They chose to, so they differ from the rest: shown for reference, never compared with the ${ANALYTICS_LABELS.control}`,
    ),
    difference: z.number().nullable().describe(`Assigned rate minus ${ANALYTICS_LABELS.control} rate (intention to treat); null without a control group`),
    ci95: z.object({ low: z.number(), high: z.number() }).nullable().describe('95% interval of the difference; null without a control group'),
    method: z.literal('newcombe-hybrid-score').describe('Newcombe (1998) method 10: the difference of two Wilson score intervals'),
    relativeLift: z.number().nullable().describe('Assigned rate over control rate, minus one; null without a control group or without control conversions'),
    significant: z.boolean().describe('The interval excludes zero; false without a control group'),
  }),
  referral: z
    .object({
      kFactor: z
        .number()
        .min(0)
        .describe('Qualified invitees ÷ sharers (all customers who shared the invite, those with no qualified friend included), two decimals; 0 when nobody shared'),
      sharers: z.number().int().min(0).describe('Customers who shared the invite: a share made by POST /me/shares for this activity (any channel), the server’s record'),
      inviters: z.number().int().min(0).describe('Of the sharers, those with at least one qualified invitee'),
      qualified: z.number().int().min(0).describe('Invitees who qualified (the activity’s qualifying action), those past the inviter’s cap included'),
    })
    .nullable()
    .describe('Invite activities only'),
  budget: z
    .object({
      maxRewards: z.number().int(),
      maxPoints: z.number().int().nullable(),
      issued: z.number().int().describe('Rewards taken from the budget so far'),
      points: z.number().int().describe('Points among them'),
    })
    .nullable()
    .describe('Budget burn, from the budget’s own books; null for an activity never approved'),
});
export type ActivityAnalytics = z.infer<typeof ActivityAnalytics>;

const Compared = z.object({ aggregate: z.number().int(), recount: z.number().int() });

export const AnalyticsCheck = z.object({
  consistent: z.boolean().describe('Every figure below agrees'),
  steps: z.array(
    z.object({
      step: z.string(),
      aggregate: z.number().int().describe('customers, from the marks'),
      recount: z.number().int().describe('customers, recounted from the stored events, rewards and reports'),
      reachedOtherWay: Compared.nullable(),
    }),
  ),
  trend: z
    .array(z.object({ day: z.string(), step: z.string() }).extend(Compared.shape))
    .describe('The days and steps where the daily trend and the recount differ (empty when they agree)'),
});

export const analyticsApi = endpoints({
  getActivityAnalytics: {
    method: 'get',
    path: '/admin/activities/:id/analytics',
    operationId: 'getActivityAnalytics',
    summary: `活动效果：曝光→点击→参与→奖励→转化漏斗（每步只计到达过前面各步的客户，逐步收窄；${ANALYTICS_LABELS.dropOff}、步骤间中位时长，${ANALYTICS_LABELS.reachedOtherWay}单列）、每日趋势、${ANALYTICS_LABELS.assigned}、${ANALYTICS_LABELS.reached}与${ANALYTICS_LABELS.control}转化率差及 95% 置信区间（Newcombe 混合 score 法；${ANALYTICS_LABELS.noControl}时不给区间）、${ANALYTICS_LABELS.participants}、邀请 K 因子`,
    tags: ['admin:analytics'],
    access: [Role.ADMIN, Role.REVIEWER],
    params: IdParams,
    query: AnalyticsQuery,
    responses: { 200: { description: 'Figures from the stored events', schema: ActivityAnalytics } },
  },
  exportActivityAnalytics: {
    method: 'get',
    path: '/admin/activities/:id/analytics.csv',
    operationId: 'exportActivityAnalytics',
    summary: `导出活动效果 CSV，每个文件一张表（表头与控制台一致）：漏斗、每日趋势、对照实验各人群、转化率差及置信区间（${ANALYTICS_LABELS.noControl}时注明且不给区间）、裂变`,
    tags: ['admin:analytics'],
    access: [Role.ADMIN, Role.REVIEWER],
    params: IdParams,
    query: AnalyticsQuery.extend({ table: z.enum(ANALYTICS_TABLES).describe('The one table the file holds, as the console shows it beside its chart') }),
    responses: { 200: { description: 'The same figures, as CSV', contentType: 'text/csv' } },
  },
  checkActivityAnalytics: {
    method: 'get',
    path: '/admin/activities/:id/analytics/check',
    operationId: 'checkActivityAnalytics',
    summary: '效果数据核对：漏斗各步（含经其他途径到达）与每日趋势的汇总数，与按已存原始事件、奖励、回传重新计数是否一致',
    tags: ['admin:analytics'],
    access: [Role.ADMIN, Role.REVIEWER],
    params: IdParams,
    responses: { 200: { description: 'Each step, aggregated and recounted', schema: AnalyticsCheck } },
  },
});
