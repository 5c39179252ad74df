import { pointsAdjustmentApprovals, pointsApi } from '@shared/contracts/points';
import { approvalReviewRoutes } from '@/kernel/approval-routes';
import { implement } from '@/platform/http/routes';
import type { PointsService } from './service';

export function pointsRoutes(service: PointsService) {
  return [
    implement(pointsApi.getMyPoints, ({ principal }) => service.balance(principal.id)),
    implement(pointsApi.getMyPointsLedger, ({ principal, query }) => service.page(principal.id, query.beforeSeq, query.limit, query.direction)),
    implement(pointsApi.requestPointsAdjustment, ({ principal, body }) => service.requestAdjustment(principal, body)),
    ...approvalReviewRoutes({ operations: pointsAdjustmentApprovals, pending: service.pendingAdjustments, approve: service.approveAdjustment, reject: service.rejectAdjustment }),
    implement(pointsApi.checkInvariants, ({ principal, query }) => service.checkInvariants(principal, query)),
  ];
}
