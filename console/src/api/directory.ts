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

let cached: { for: string; directory: Promise<Directory> } | null = null;
/** The directory of the staff member signed in, read once per page load and shared by every page (read again after a failure, or for someone else). */
export function directory(staffId: string): Promise<Directory> {
  if (cached?.for !== staffId) {
    const read = loadDirectory().catch((err: unknown) => {
      if (cached?.directory === read) cached = null;
      throw err;
    });
    cached = { for: staffId, directory: read };
  }
  return cached.directory;
}
