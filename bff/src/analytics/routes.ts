import { ActivityAnalytics, ANALYTICS_LABELS as L, analyticsApi } from '@shared/contracts/analytics';
import { toCsv } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import type { AnalyticsService } from './service';

const DIFFERENCE = `转化率差（${L.treatment} − ${L.control}）`;

/** The CSV export: the same figures under the same names as the API's descriptions and the console. */
function analyticsCsvRows(r: ActivityAnalytics): (string | number | null)[][] {
  const e = r.experiment;
  const arm = (label: string, a: { customers: number; converted: number; rate: number }) => [label, a.customers, a.converted, a.rate];
  return [
    ['漏斗步骤', '客户数', L.fromPrevious, L.reachedOtherWay, L.dropOff, '距上一步中位时长（秒）'],
    ...r.funnel.map((f) => [L.steps[f.step], f.customers, f.fromPrevious, f.reachedOtherWay, f.dropOff, f.medianSecondsFromPrevious]),
    [],
    ['日期', ...Object.values(L.steps)],
    ...r.trend.map((t) => [t.day, t.impression, t.click, t.participate, t.reward, t.convert]),
    [],
    ['人群', '客户数', '转化数', '转化率'],
    arm(L.treatment, e.treatment),
    e.control ? arm(L.control, e.control) : [L.control, L.noControl, e.noControlReason ? L.noControlReasons[e.noControlReason] : null],
    arm(L.participants, e.participants),
    e.difference !== null && e.ci95 ? [DIFFERENCE, e.difference, '95% 置信区间', `${e.ci95.low} ~ ${e.ci95.high}`] : [DIFFERENCE, L.noControl, '95% 置信区间', L.noControl],
    ['方法', 'Newcombe 混合 score 法（Wilson 区间之差）', '转化口径', e.conversion],
    ...(r.referral
      ? [[], ['K 因子（达标好友 ÷ 分享人）', '分享人', '其中有达标好友', '达标好友'], [r.referral.kFactor, r.referral.sharers, r.referral.inviters, r.referral.qualified]]
      : []),
  ];
}

export function analyticsRoutes(service: AnalyticsService) {
  return [
    implement(analyticsApi.getActivityAnalytics, ({ principal, params, query }) => service.report(principal, params.id, query.conversion)),
    implement(analyticsApi.exportActivityAnalytics, async ({ principal, params, query, ctx }) => {
      const r = await service.report(principal, params.id, query.conversion);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="analytics-${params.id}.csv"`);
      ctx.body = toCsv(analyticsCsvRows(r));
    }),
    implement(analyticsApi.checkActivityAnalytics, ({ principal, params }) => service.check(principal, params.id)),
  ];
}
