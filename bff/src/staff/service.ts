import type { StaffProfile } from '../../../shared/contracts/profile';
import { maskName } from '../../../shared/masking';
import type { Principal } from '../platform/auth/principal';
import { AppError } from '../platform/errors';
import type { OrgRepository } from '../org/repository';
import type { StaffMember, StaffRepository } from './repository';

const toProfile = (m: StaffMember): StaffProfile => ({
  id: m.id,
  username: m.username,
  role: m.role,
  orgUnitId: m.orgUnitId,
  maskedName: maskName(m.name),
});

export function createStaffService(deps: { staff: StaffRepository; org: OrgRepository }) {
  return {
    async getProfile(principal: Principal): Promise<StaffProfile> {
      const member = await deps.staff.findById(principal.id);
      if (!member) throw new AppError('NOT_FOUND');
      return toProfile(member);
    },
    /** Staff of the admin's own unit and the units below it; nothing from elsewhere in the bank. */
    async listVisibleStaff(principal: Principal): Promise<StaffProfile[]> {
      if (!principal.orgUnitId) throw new AppError('FORBIDDEN');
      const units = await deps.org.subtreeIds(principal.orgUnitId);
      return (await deps.staff.listInOrgUnits(units)).map(toProfile);
    },
  };
}
