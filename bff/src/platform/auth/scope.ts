import type { Principal } from './principal';
import type { OrgDirectory } from '../directory';

/**
 * What a member of staff may reach: their own org unit and the units below it. Customers not
 * yet assigned to a branch belong to head office.
 */
export function createScope(org: OrgDirectory) {
  async function unitIds(principal: Principal): Promise<string[]> {
    return principal.orgUnitId ? org.subtreeIds(principal.orgUnitId) : [];
  }
  async function isHeadOffice(principal: Principal): Promise<boolean> {
    const unit = principal.orgUnitId ? await org.findById(principal.orgUnitId) : null;
    return unit !== null && unit.parentId === null;
  }
  return {
    unitIds,
    isHeadOffice,
    async reachesCustomer(principal: Principal, customer: { orgUnitId: string | null }): Promise<boolean> {
      return customer.orgUnitId ? (await unitIds(principal)).includes(customer.orgUnitId) : isHeadOffice(principal);
    },
  };
}

export type Scope = ReturnType<typeof createScope>;
