import { activitiesApi, activityReview } from '@shared/contracts/activities';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToActivity, type ActivityAdminService } from './admin-service';
import type { ActivityCustomerService } from './customer-service';

export const activityAdminRoutes = (service: ActivityAdminService) => reviewedAdminRoutes({ operations: activityReview, service, csvRow: csvRowToActivity });

export function activityCustomerRoutes(service: ActivityCustomerService) {
  return [
    implement(activitiesApi.listMyActivities, async ({ principal, query, consented }) => ({ items: await service.listForMe(principal.id, consented, query.view) })),
    implement(activitiesApi.listPublicActivities, async () => ({ items: await service.preview() })),
    implement(activitiesApi.getMyActivity, ({ principal, params, consented }) => service.detail(principal.id, params.id, consented)),
    implement(activitiesApi.joinActivity, ({ principal, params }) => service.join(principal.id, params.id)),
    implement(activitiesApi.dismissActivity, ({ principal, params, body }) => service.dismiss(principal.id, params.id, body.hideType)),
  ];
}
