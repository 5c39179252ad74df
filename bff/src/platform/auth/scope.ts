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
  /** Whether the caller reaches each of many customers, their units read once. */
  async function customerReach(principal: Principal): Promise<(customer: { orgUnitId: string | null }) => boolean> {
    const [units, headOffice] = await Promise.all([unitIds(principal), isHeadOffice(principal)]);
    return (customer) => (customer.orgUnitId ? units.includes(customer.orgUnitId) : headOffice);
  }
  return {
    unitIds,
    isHeadOffice,
    customerReach,
    reachesCustomer: async (principal: Principal, customer: { orgUnitId: string | null }): Promise<boolean> => (await customerReach(principal))(customer),
  };
}

export type Scope = ReturnType<typeof createScope>;
