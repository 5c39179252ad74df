import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { auditRoutes } from './routes';

/** The operator audit trail, as admins and reviewers read it, and the wording review checks for. */
export function auditModule(ctx: AppContext): CapabilityModule {
  return { name: 'audit', routes: auditRoutes(ctx.audit, ctx.scope, ctx.config.bannedWords), ensureIndexes: () => ctx.audit.ensureIndexes() };
}
