import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { Role } from '../roles';
import { CONVERSION_KINDS } from './conversions';
import { statedRules, trimmedText } from './common';
import { adminDocument } from './review';
import {
  PARTICIPATION_CHANNELS,
  participationChannelNamesZh,
  PERIOD_KINDS,
  PROGRAMME_METRICS,
  programmeMetricNamesZh,
  type ParticipationChannel,
  type ProgrammeMetric,
} from '../programme-names';

/**
 * 经营目标与经营看板 (issue 31): head office sets targets per period per branch, a branch splits
 * its share over its sub-units or its relationship managers, and the cockpit shows each figure
 * against them, computed from the stored events and ledgers.
 */

export { PARTICIPATION_CHANNELS, participationChannelNamesZh, PERIOD_KINDS, periodKindNamesZh, PROGRAMME_METRICS, programmeMetricNamesZh } from '../programme-names';
export type { ParticipationChannel, ProgrammeMetric } from '../programme-names';
const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUARTER_KEY = /^\d{4}-Q[1-4]$/;
/** A month (2026-12) or a quarter (2026-Q4), in Beijing time. */
export const PERIOD_KEY = /^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/;
export const periodKindOf = (key: string): 'month' | 'quarter' => (QUARTER_KEY.test(key) ? 'quarter' : 'month');

export const Period = z
  .object({
    kind: z.enum(PERIOD_KINDS),
    key: z.string().regex(PERIOD_KEY).describe('2026-12 for a month, 2026-Q4 for a quarter (Beijing time)'),
  })
  .strict()
  .refine((p) => (p.kind === 'month' ? MONTH_KEY : QUARTER_KEY).test(p.key), { message: '周期编号与周期类型不符（月度如 2026-12，季度如 2026-Q4）', path: ['key'] })
  .describe(statedRules('key is YYYY-MM for a month, YYYY-Qn for a quarter.'));
export type Period = z.infer<typeof Period>;

/** Who a share of the target goes to: a unit (`unitId`) or a manager (`rmId`), exactly one. */
const Allocation = z
  .object({
    unitId: z.string().min(1).max(64).optional().describe('A unit below the setter’s'),
    rmId: z.string().min(1).max(64).optional().describe('A relationship manager of the setter’s unit or one below it'),
    value: z.number().int().min(0).max(100_000_000),
  })
  .strict()
  .refine((a) => (a.unitId === undefined) !== (a.rmId === undefined), { message: '每项分配须且只能指定一个机构或一位客户经理', path: ['unitId'] })
  .describe(statedRules('exactly one of unitId and rmId.'));
export type Allocation = z.infer<typeof Allocation>;

/** One metric's target for one period, split by the setting unit over the units or managers below it. */
export const ProgrammeTargetInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('programme_target'),
    orgUnitId: z.string().min(1).max(64).describe('The unit setting the target (head office, or a branch splitting its share)'),
    title: trimmedText(2).max(60),
    period: Period,
    metric: z.enum(PROGRAMME_METRICS),
    allocations: z.array(Allocation).min(1).max(500),
  })
  .strict()
  .refine((t) => new Set(t.allocations.map((a) => (a.unitId !== undefined ? `u:${a.unitId}` : `r:${a.rmId}`))).size === t.allocations.length, {
    message: '同一机构或客户经理只能分配一次',
    path: ['allocations'],
  })
  .describe(
    statedRules(
      'each unit or manager at most once in allocations. At submission and approval (422): every allocation is a unit below the setter’s or a manager of the setter’s subtree; a unit’s split of a metric and period may not total less than what the units above it allotted it.',
    ),
  );
export type ProgrammeTargetInput = z.infer<typeof ProgrammeTargetInput>;

const AdminProgrammeTarget = adminDocument(['programme_target'], 'AdminProgrammeTarget');

export const programmeTargetReview = reviewedOperations({
  path: '/admin/targets',
  tag: 'admin:programme',
  noun: { one: 'Target', many: 'Targets' },
  label: '经营目标',
  input: ProgrammeTargetInput,
  admin: AdminProgrammeTarget,
  csvNote: 'period、allocations 列为 JSON',
});

const count = () => z.number().int().min(0);

/** The metrics a target is set on, counted for one unit subtree, one manager or the whole bank. */
const MetricFigures = z.object(
  Object.fromEntries(PROGRAMME_METRICS.map((m) => [m, count().describe(programmeMetricNamesZh[m])])) as Record<ProgrammeMetric, ReturnType<typeof count>>,
);
export type MetricFigures = z.infer<typeof MetricFigures>;

const Execution = z.object({
  reached: count().describe('触达客户: customers with an impression, who opened shared content, or who arrived through a manager’s task'),
  followUps: count().describe('Follow-ups managers recorded for their tasks (rm_task.followed_up)'),
  leads: count().describe('Leads created for managers (lead.created)'),
  leadsFollowedUp: count(),
  leadsWithinSla: count().describe('Of those followed up, within the SLA'),
  leadsEscalated: count(),
  leadsDecided: count().describe('Leads whose SLA is met or missed (followed up, or escalated): the base of slaRate'),
  slaRate: z.number().min(0).max(1).nullable().describe('leadsWithinSla ÷ leadsDecided (a lead still open inside its SLA counts in neither); null before any'),
});

const Figures = MetricFigures.extend(Execution.shape);
export type CockpitFigures = z.infer<typeof Figures>;

const TargetRow = z.object({
  metric: z.enum(PROGRAMME_METRICS),
  target: count().describe('What approved targets allot; 0 when none'),
  actual: count(),
  rate: z.number().min(0).nullable(),
});
export type TargetRow = z.infer<typeof TargetRow>;

const ChannelCounts = z.object(
  Object.fromEntries(PARTICIPATION_CHANNELS.map((c) => [c, count().describe(participationChannelNamesZh[c])])) as Record<ParticipationChannel, ReturnType<typeof count>>,
);

const PointsFigures = z.object({
  earned: count().describe('earn entries in the period'),
  refunded: count().describe('refund entries in the period'),
  spent: count().describe('spend entries in the period, as a positive number'),
  expired: count().describe('expire entries in the period, as a positive number'),
  adjusted: z.number().int().describe('adjust entries in the period, signed'),
  issued: count().describe('earned + refunded + positive adjustments: what the bank owed anew'),
  outstanding: count().describe('Now: the sum of the balances of the customers counted here (the points liability)'),
  ledgerTotal: z.number().int().describe('Now: the sum of every entry ever of those customers; equals outstanding when the books balance'),
  balanced: z.boolean(),
  pointValueYuan: z.number().min(0).describe('What one point is worth (POINT_VALUE_YUAN)'),
  issuedYuan: z.number(),
  spentYuan: z.number(),
  expiredYuan: z.number(),
  outstandingYuan: z.number().describe('The liability finance books'),
});

const PeriodView = z.object({ kind: z.enum(PERIOD_KINDS), key: z.string(), start: z.string(), end: z.string().describe('Exclusive') });

export const Cockpit = z.object({
  unit: z.object({ id: z.string(), name: z.string() }),
  period: PeriodView,
  figures: Figures,
  targets: z.array(TargetRow).describe('What approved targets allot this unit (head office: what it allotted in all) against the same metric counted for the period'),
  daily: z.array(z.object({ day: z.string(), active: count() })).describe('Customers with any behaviour event each Beijing day'),
  channels: ChannelCounts.describe('参与人次: participations (a customer in an activity, once each) by how the customer came'),
  activities: z.array(z.object({ activityId: z.string(), title: z.string(), participants: count() }).extend(ChannelCounts.shape)),
  conversions: z.array(z.object({ kind: z.enum(CONVERSION_KINDS), customers: count(), reports: count() })),
  points: PointsFigures,
  costPerActiveYuan: z.number().nullable().describe('Points issued (元) ÷ monthly active customers; null without active customers'),
  tasks: z
    .object({ assigned: count(), completed: count(), rate: z.number().nullable() })
    .describe('Marketing task completion of the unit’s managers: (manager, task) pairs asked of them by tasks running in the period, and those whose goal is met'),
  units: z
    .array(z.object({ unitId: z.string(), name: z.string(), figures: Figures, targets: z.array(TargetRow) }))
    .describe('The child units, each over its own subtree (drill-down)'),
  leaderboard: z
    .array(
      z.object({
        rmId: z.string(),
        name: z.string().describe('Masked unless the viewer is an admin over the manager’s unit'),
        unitId: z.string(),
        figures: Figures,
        targets: z.array(TargetRow),
      }),
    )
    .describe('The managers of the subtree, most new customers first'),
});
export type Cockpit = z.infer<typeof Cockpit>;

const Compared = z.object({ figure: z.string(), aggregate: z.number(), recount: z.number() });
export const CockpitCheck = z.object({
  consistent: z.boolean(),
  figures: z.array(Compared).describe('Every figure, from the marks and recounted from the stored records'),
  differences: z.array(Compared).describe('Those that differ (empty when they agree)'),
});

export const COCKPIT_TABLES = ['kpis', 'targets', 'units', 'daily', 'channels', 'activities', 'conversions', 'points', 'leaderboard'] as const;
export type CockpitTable = (typeof COCKPIT_TABLES)[number];

const Performance = z.object({ period: PeriodView, figures: Figures, targets: z.array(TargetRow) });
export const MyPerformance = z.object({ month: Performance, quarter: Performance });
export type MyPerformance = z.infer<typeof MyPerformance>;

const CockpitQuery = z.object({
  unitId: z.string().min(1).max(64).optional().describe('A unit of the caller’s subtree; their own when left out'),
  period: z.string().regex(PERIOD_KEY).optional().describe('2026-12 or 2026-Q4 (Beijing time); this month when left out'),
});

export const programmeApi = {
  ...byOperationId(programmeTargetReview),
  ...endpoints({
    getCockpit: {
      method: 'get',
      path: '/admin/cockpit',
      operationId: 'getCockpit',
      summary:
        '经营看板：本机构（可下钻到下级机构）在一个月度或季度的目标与完成、触达与活跃、绑定手机、活动参与（按活动、按渠道）、转化、跟进与 SLA、积分发放/使用/过期/余额（负债）与单个活跃客户成本、客户经理排行',
      tags: ['admin:programme'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: CockpitQuery,
      responses: { 200: { description: 'Figures from the stored events and the points ledger', schema: Cockpit } },
    },
    exportCockpit: {
      method: 'get',
      path: '/admin/cockpit.csv',
      operationId: 'exportCockpit',
      summary: '导出经营看板 CSV，每个文件一张表（表头与控制台一致）',
      tags: ['admin:programme'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: CockpitQuery.extend({ table: z.enum(COCKPIT_TABLES) }),
      responses: { 200: { description: 'One table as CSV', contentType: 'text/csv' } },
    },
    checkCockpit: {
      method: 'get',
      path: '/admin/cockpit/check',
      operationId: 'checkCockpit',
      summary: '经营看板核对：各项数字与按已存行为事件、领域事件、银行回传、积分账本重新计数是否一致，列出差异',
      tags: ['admin:programme'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: CockpitQuery,
      responses: { 200: { description: 'Each figure, aggregated and recounted', schema: CockpitCheck } },
    },
    getMyPerformance: {
      method: 'get',
      path: '/rm/performance',
      operationId: 'getMyPerformance',
      summary: '我的业绩：本月与本季度我的各项数字与分配给我的目标',
      tags: ['rm'],
      access: [Role.RM] as const,
      responses: { 200: { description: 'My figures', schema: MyPerformance } },
    },
  }),
};
