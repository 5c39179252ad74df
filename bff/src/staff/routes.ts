import { implement } from '@/platform/http/routes';
import { approvalReviewRoutes } from '@/kernel/approval-routes';
import type { StaffService } from './service';
import { staffApi, staffGrantApprovals } from '@shared/contracts/staff';

export function staffRoutes(service: StaffService) {
  return [
    implement(staffApi.createStaff, ({ principal, body }) => service.create(principal, body)),
    implement(staffApi.updateStaff, async ({ principal, params, body, ctx }) => {
      const outcome = await service.update(principal, params.id, body);
      if ('applied' in outcome) return outcome.applied;
      ctx.status = 202;
      return outcome.pending;
    }),
    ...approvalReviewRoutes({ operations: staffGrantApprovals, pending: service.pendingGrants, approve: service.approveGrant, reject: service.rejectGrant }),
    implement(staffApi.getStaffProfile, ({ principal }) => service.getProfile(principal)),
    implement(staffApi.getOrgDirectory, ({ principal }) => service.directory(principal)),
    implement(staffApi.listStaff, async ({ principal }) => ({ items: await service.listVisibleStaff(principal) })),
  ];
}
