import type { OrgDirectory } from '@shared/contracts/staff';
import { call } from './client';

/** Units and staff of the caller's subtree by name (GET /admin/directory): what pages show in place of ids. */
export type Directory = OrgDirectory & {
  orgName(id: string): string;
  /** Masked; someone outside the caller's subtree is named only as that. */
  staffName(id: string): string;
};

export async function loadDirectory(): Promise<Directory> {
  const directory = await call('getOrgDirectory');
  const units = new Map(directory.orgUnits.map((u) => [u.id, u.name]));
  const staff = new Map(directory.staff.map((s) => [s.id, s.maskedName]));
  return {
    ...directory,
    orgName: (id) => units.get(id) ?? '其他机构',
    staffName: (id) => staff.get(id) ?? '其他机构员工',
  };
}
