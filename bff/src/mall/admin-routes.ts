import { approvalReviewRoutes } from '@/kernel/approval-routes';
import { toCsv } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import type { MallAdminService } from './admin-service';
import { csvRowToCatalogueEntry, type CatalogueAdmin } from './catalogue/items';
import { catalogueEntryReview, mallApi, stockAdjustmentApprovals } from '@shared/contracts/mall';

export function mallAdminRoutes(service: MallAdminService, catalogue: CatalogueAdmin) {
  return [
    ...reviewedAdminRoutes({ operations: catalogueEntryReview, service: catalogue, csvRow: csvRowToCatalogueEntry }),
    implement(mallApi.getMallItemStock, ({ principal, params }) => service.stock(principal, params.id)),
    implement(mallApi.requestStockAdjustment, ({ principal, params, body }) => service.requestStockAdjustment(principal, params.id, body.delta, body.reason)),
    ...approvalReviewRoutes({
      operations: stockAdjustmentApprovals,
      pending: service.pendingStockAdjustments,
      approve: service.approveStockAdjustment,
      reject: service.rejectStockAdjustment,
    }),
    implement(mallApi.uploadCouponCodes, ({ principal, params, body }) => service.uploadCodes(principal, params.id, body.codes)),
    implement(mallApi.listMallOrders, ({ principal, query: { page, pageSize, ...filter } }) => service.orders(principal, filter, { page, pageSize })),
    implement(mallApi.exportMallOrders, async ({ principal, query, ctx }) => {
      const rows = await service.exportOrders(principal, query);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', 'attachment; filename="mall-orders.csv"');
      ctx.body = toCsv(rows);
    }),
    implement(mallApi.shipMallOrder, ({ principal, params, body }) => service.ship(principal, params.id, body)),
    implement(mallApi.cancelMallOrder, ({ principal, params, body }) => service.cancel(principal, params.id, body.reason)),
    implement(mallApi.recoverMallOrders, ({ principal }) => service.recover(principal)),
    implement(mallApi.checkMallInvariants, ({ principal, query }) => service.checkInvariants(principal, query)),
  ];
}
