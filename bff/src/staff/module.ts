import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { hashPassword } from '../platform/auth/password';
import { DEMO_PASSWORD, DEMO_STAFF } from '../seed/demo';
import { staffRoutes } from './routes';
import { createStaffService } from './service';

/** Staff accounts, their roles and org units, and the two-admin grants that change them. */
export function staffModule(ctx: AppContext) {
  const service = createStaffService({ db: ctx.db, staff: ctx.staff, org: ctx.org, scope: ctx.scope, audit: ctx.audit, clock: ctx.clock, faults: ctx.faults });
  const module: CapabilityModule = {
    name: 'staff',
    routes: staffRoutes(service),
    // Two-person decisions taken but not carried out (the process died in between).
    sweeps: { grants: () => service.recoverGrants() },
    ensureIndexes: () => ctx.staff.ensureIndexes(),
    async seedDemo() {
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      for (const member of DEMO_STAFF) await ctx.staff.createIfMissing({ ...member, passwordHash, disabled: false, createdAt: ctx.clock.now() });
    },
  };
  return { module, service };
}
