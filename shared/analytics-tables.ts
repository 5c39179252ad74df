import { ANALYTICS_LABELS as L, FUNNEL_STEPS, type ActivityAnalytics, type AnalyticsTable } from './contracts/analytics';

export type Cell = string | number | null;
/** A table of the 活动效果 page: the console draws it beside its chart and the CSV export writes it, under the same Chinese headers. */
export type Table = { columns: string[]; rows: Cell[][] };

/** A share as a percentage with one decimal (0.42857 → 42.9). */
export const percent = (share: number) => Math.round(share * 1000) / 10;

const noControlText = (r: ActivityAnalytics) => `${L.noControl}${r.experiment.noControlReason ? `：${L.noControlReasons[r.experiment.noControlReason]}` : ''}`;
export const DIFFERENCE_LABEL = `${L.assigned} − ${L.control}`;

export function analyticsTable(r: ActivityAnalytics, table: AnalyticsTable): Table {
  const e = r.experiment;
  const arm = (label: string, a: ActivityAnalytics['experiment']['assigned']): Cell[] => [label, a.customers, a.converted, percent(a.rate)];
  switch (table) {
    case 'funnel':
      return {
        columns: ['环节', '客户数（人）', `${L.dropOff}（%）`, '距上一环节中位时长（秒）', L.reachedOtherWay],
        rows: r.funnel.map((f) => [
          L.steps[f.step],
          f.customers,
          f.dropOff === null ? null : percent(f.dropOff),
          f.medianSecondsFromPrevious === null ? null : Math.round(f.medianSecondsFromPrevious),
          f.reachedOtherWay,
        ]),
      };
    case 'trend':
      return { columns: ['日期（北京时间）', ...FUNNEL_STEPS.map((s) => `${L.steps[s]}（人）`)], rows: r.trend.map((t) => [t.day, ...FUNNEL_STEPS.map((s) => t[s])]) };
    case 'experiment':
      return {
        columns: ['人群', '客户数（人）', '转化客户数（人）', '转化率（%）'],
        rows: [
          arm(L.assigned, e.assigned),
          arm(L.reached, e.reached),
          e.control ? arm(L.control, e.control) : [L.control, noControlText(r), null, null],
          arm(L.participants, e.participants),
        ],
      };
    case 'difference':
      return {
        columns: ['比较', '转化率差（百分点）', '95% 置信区间下限（百分点）', '95% 置信区间上限（百分点）', '是否显著'],
        rows: [
          e.difference !== null && e.ci95
            ? [DIFFERENCE_LABEL, percent(e.difference), percent(e.ci95.low), percent(e.ci95.high), e.significant ? '显著' : '不显著']
            : [DIFFERENCE_LABEL, noControlText(r), null, null, null],
        ],
      };
    case 'referral':
      return {
        columns: ['分享人（人）', '其中有达标好友（人）', '达标好友（人）', 'K 因子（达标好友 ÷ 分享人）'],
        rows: r.referral ? [[r.referral.sharers, r.referral.inviters, r.referral.qualified, r.referral.kFactor]] : [],
      };
  }
}
