import { ActivityAnalytics, AnalyticsCheck, AnalyticsQuery } from '../../../shared/contracts/analytics';
import { Role } from '../../../shared/roles';
import { IdParams } from '../platform/http/params';
import { toCsv } from '../platform/csv';
import { defineRoute } from '../platform/http/routes';
import type { AnalyticsService } from './service';

const STEP_NAMES = { impression: '曝光', click: '点击', participate: '参与', reward: '获奖励', convert: '转化' } as const;

export function analyticsRoutes(service: AnalyticsService) {
  const tags = ['admin:analytics'];
  const access = [Role.ADMIN, Role.REVIEWER];
  return [
    defineRoute({
      method: 'get',
      path: '/admin/activities/:id/analytics',
      operationId: 'getActivityAnalytics',
      summary: '活动效果：曝光→点击→参与→奖励→转化漏斗（流失率、步骤间中位时长）、每日趋势、参与组对照组转化率差及 95% 置信区间（Newcombe 混合 score 法）、邀请 K 因子',
      tags,
      access,
      params: IdParams,
      query: AnalyticsQuery,
      responses: { 200: { description: 'Figures from the stored events', schema: ActivityAnalytics } },
      handler: ({ principal, params, query }) => service.report(principal!, params.id, query.conversion),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/activities/:id/analytics.csv',
      operationId: 'exportActivityAnalytics',
      summary: '导出活动效果 CSV：漏斗、每日趋势与对照实验',
      tags,
      access,
      params: IdParams,
      query: AnalyticsQuery,
      responses: { 200: { description: 'The same figures, as CSV', contentType: 'text/csv' } },
      handler: async ({ principal, params, query, ctx }) => {
        const r = await service.report(principal!, params.id, query.conversion);
        const e = r.experiment;
        const rows: (string | number | null)[][] = [
          ['漏斗步骤', '客户数', '流失率', '距上一步中位时长（秒）'],
          ...r.funnel.map((f) => [STEP_NAMES[f.step], f.customers, f.dropOff, f.medianSecondsFromPrevious]),
          [],
          ['日期', ...Object.values(STEP_NAMES)],
          ...r.trend.map((t) => [t.day, t.impression, t.click, t.participate, t.reward, t.convert]),
          [],
          ['分组', '客户数', '转化数', '转化率'],
          ['参与组', e.treatment.customers, e.treatment.converted, e.treatment.rate],
          ['对照组', e.control.customers, e.control.converted, e.control.rate],
          ['其中参与者（仅供参考）', e.participants.customers, e.participants.converted, e.participants.rate],
          ['转化率差', e.difference, '95% 置信区间', `${e.ci95.low} ~ ${e.ci95.high}`],
          ['方法', 'Newcombe 混合 score 法（Wilson 区间之差）', '转化口径', e.conversion],
        ];
        ctx.type = 'text/csv; charset=utf-8';
        ctx.set('Content-Disposition', `attachment; filename="analytics-${params.id}.csv"`);
        ctx.body = toCsv(rows);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/activities/:id/analytics/check',
      operationId: 'checkActivityAnalytics',
      summary: '效果数据核对：漏斗各步的汇总数与原始事件重新计数是否一致',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'Each step, aggregated and recounted', schema: AnalyticsCheck } },
      handler: ({ principal, params }) => service.check(principal!, params.id),
    }),
  ];
}
