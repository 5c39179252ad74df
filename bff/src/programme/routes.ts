import { programmeApi, programmeTargetReview } from '@shared/contracts/programme';
import { cockpitTable } from '@shared/cockpit-tables';
import { toCsv } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import type { CockpitService } from './service';
import { csvRowToTarget, type TargetAdmin } from './targets';

export function programmeRoutes(deps: { admin: TargetAdmin; cockpit: CockpitService }) {
  return [
    ...reviewedAdminRoutes({ operations: programmeTargetReview, service: deps.admin, csvRow: csvRowToTarget }),
    implement(programmeApi.getCockpit, ({ principal, query }) => deps.cockpit.cockpit(principal, query.unitId, query.period)),
    // One table per file, under the headers the console shows beside its chart.
    implement(programmeApi.exportCockpit, async ({ principal, query, ctx }) => {
      const figures = await deps.cockpit.cockpit(principal, query.unitId, query.period);
      const { columns, rows } = cockpitTable(figures, query.table);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="cockpit-${figures.unit.id}-${figures.period.key}-${query.table}.csv"`);
      ctx.body = toCsv([columns, ...rows]);
    }),
    implement(programmeApi.checkCockpit, ({ principal, query }) => deps.cockpit.check(principal, query.unitId, query.period)),
    implement(programmeApi.getMyPerformance, ({ principal }) => deps.cockpit.myPerformance(principal)),
  ];
}
