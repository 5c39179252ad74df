import type { AppContext } from '@/context';
import { hashPassword } from '@/platform/auth/password';
import type { CapabilityModule } from '@/platform/module';
import type { StaffRepository } from './repository';
import { staffRoutes } from './routes';
import { createStaffService } from './service';

export { createStaffRepository, type StaffRepository, type StaffMember } from './repository';

/**
 * Staff accounts, their roles and org units, and the two-admin grants that change them. The
 * repository is the one behind the context's staff directory.
 */
export function staffModule(ctx: AppContext, staff: StaffRepository) {
  const service = createStaffService({ db: ctx.db, staff, org: ctx.org, scope: ctx.scope, audit: ctx.audit, clock: ctx.clock, faults: ctx.faults });
  const module: CapabilityModule = {
    name: 'staff',
    routes: staffRoutes(service),
    // Two-person decisions taken but not carried out (the process died in between).
    sweeps: { grants: () => service.recoverGrants() },
    ensureIndexes: () => staff.ensureIndexes(),
    async seedDemo() {
      const { DEMO_PASSWORD, DEMO_STAFF } = await import('../../demo/people');
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      for (const member of DEMO_STAFF) await staff.createIfMissing({ ...member, passwordHash, disabled: false, createdAt: ctx.clock.now() });
    },
  };
  return { module, service };
}
