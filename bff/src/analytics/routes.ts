import { analyticsApi } from '@shared/contracts/analytics';
import { analyticsTable } from '@shared/analytics-tables';
import { toCsv } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import type { AnalyticsService } from './service';

export function analyticsRoutes(service: AnalyticsService) {
  return [
    implement(analyticsApi.getActivityAnalytics, ({ principal, params, query }) => service.report(principal, params.id, query.conversion)),
    // One table per file, under the headers the console shows beside its chart.
    implement(analyticsApi.exportActivityAnalytics, async ({ principal, params, query, ctx }) => {
      const { columns, rows } = analyticsTable(await service.report(principal, params.id, query.conversion), query.table);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="analytics-${params.id}-${query.table}.csv"`);
      ctx.body = toCsv([columns, ...rows]);
    }),
    implement(analyticsApi.checkActivityAnalytics, ({ principal, params }) => service.check(principal, params.id)),
  ];
}
