import type { Cell, Table } from './analytics-tables';
import { percent } from './analytics-tables';
import { conversionKindNamesZh } from './contracts/conversions';
import {
  PARTICIPATION_CHANNELS,
  participationChannelNamesZh,
  PROGRAMME_METRICS,
  programmeMetricNamesZh,
  type Cockpit,
  type CockpitFigures,
  type CockpitTable,
  type TargetRow,
} from './contracts/programme';

export type { Cell, Table };

/** The cockpit's figures beside the metrics: one name each, for the console's tables and the CSV alike. */
export const COCKPIT_LABELS = {
  reached: '触达客户',
  followUps: '任务跟进',
  leads: '商机',
  leadsFollowedUp: '商机已跟进',
  leadsWithinSla: 'SLA 内跟进',
  leadsEscalated: '超时升级',
  leadsDecided: '已到期或已跟进商机',
  slaRate: 'SLA 达成率（%）',
  costPerActive: '单个活跃客户成本（元）',
  tasks: '任务完成',
} as const;

const rate = (r: number | null): Cell => (r === null ? null : percent(r));
const figureColumns = [
  ...PROGRAMME_METRICS.map((m) => programmeMetricNamesZh[m]),
  COCKPIT_LABELS.reached,
  COCKPIT_LABELS.followUps,
  COCKPIT_LABELS.leads,
  COCKPIT_LABELS.leadsWithinSla,
  COCKPIT_LABELS.leadsDecided,
  COCKPIT_LABELS.slaRate,
];
const figureCells = (f: CockpitFigures): Cell[] => [...PROGRAMME_METRICS.map((m) => f[m]), f.reached, f.followUps, f.leads, f.leadsWithinSla, f.leadsDecided, rate(f.slaRate)];
/** "actual / target" for each metric that has a target, for the drill-down and leaderboard rows. */
const targetCell = (targets: TargetRow[]): Cell =>
  targets
    .filter((t) => t.target > 0)
    .map((t) => `${programmeMetricNamesZh[t.metric]} ${t.actual}/${t.target}`)
    .join('；') || null;

export function cockpitTable(c: Cockpit, table: CockpitTable): Table {
  switch (table) {
    case 'kpis':
      return {
        columns: ['指标', '数值'],
        rows: [
          ...PROGRAMME_METRICS.map((m): Cell[] => [programmeMetricNamesZh[m], c.figures[m]]),
          [COCKPIT_LABELS.reached, c.figures.reached],
          [COCKPIT_LABELS.followUps, c.figures.followUps],
          [COCKPIT_LABELS.leads, c.figures.leads],
          [COCKPIT_LABELS.leadsFollowedUp, c.figures.leadsFollowedUp],
          [COCKPIT_LABELS.leadsWithinSla, c.figures.leadsWithinSla],
          [COCKPIT_LABELS.leadsEscalated, c.figures.leadsEscalated],
          [COCKPIT_LABELS.leadsDecided, c.figures.leadsDecided],
          [COCKPIT_LABELS.slaRate, rate(c.figures.slaRate)],
          [COCKPIT_LABELS.costPerActive, c.costPerActiveYuan],
          ...(c.tasks ? [[`${COCKPIT_LABELS.tasks}（已完成/已分配）`, `${c.tasks.completed}/${c.tasks.assigned}`] as Cell[]] : []),
        ],
      };
    case 'targets':
      return {
        columns: ['指标', '目标', '完成', '完成率（%）'],
        rows: c.targets.map((t) => [programmeMetricNamesZh[t.metric], t.target, t.actual, rate(t.rate)]),
      };
    case 'units':
      return { columns: ['机构', ...figureColumns, '目标完成（完成/目标）'], rows: c.units.map((u) => [u.name, ...figureCells(u.figures), targetCell(u.targets)]) };
    case 'daily':
      return { columns: ['日期（北京时间）', '活跃客户（人）'], rows: c.daily.map((d) => [d.day, d.active]) };
    case 'channels':
      return { columns: ['渠道', '参与人次'], rows: PARTICIPATION_CHANNELS.map((ch) => [participationChannelNamesZh[ch], c.channels[ch]]) };
    case 'activities':
      return {
        columns: ['活动', '参与客户（人）', ...PARTICIPATION_CHANNELS.map((ch) => `${participationChannelNamesZh[ch]}（人）`)],
        rows: c.activities.map((a) => [a.title, a.participants, ...PARTICIPATION_CHANNELS.map((ch) => a[ch])]),
      };
    case 'conversions':
      return { columns: ['转化类型', '客户数（人）', '回传笔数'], rows: c.conversions.map((v) => [conversionKindNamesZh[v.kind], v.customers, v.reports]) };
    case 'points': {
      const p = c.points;
      return {
        columns: ['项目', '积分', '金额（元）'],
        rows: [
          ['发放（含退回、调增）', p.issued, p.issuedYuan],
          ['其中：获得', p.earned, null],
          ['其中：退回', p.refunded, null],
          ['使用', p.spent, p.spentYuan],
          ['过期', p.expired, p.expiredYuan],
          ['调整（净额）', p.adjusted, null],
          ['未使用余额（负债）', p.outstanding, p.outstandingYuan],
          ['账本合计（全部流水之和）', p.ledgerTotal, p.balanced ? '一致' : '不一致'],
        ],
      };
    }
    case 'leaderboard':
      return {
        columns: ['排名', '客户经理', ...figureColumns, '目标完成（完成/目标）'],
        rows: c.leaderboard.map((r, i) => [i + 1, r.name, ...figureCells(r.figures), targetCell(r.targets)]),
      };
  }
}
