import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import type { TaskService } from '../tasks/service';
import { inviteRoutes } from './routes';
import { createInviteService } from './service';

const ACCEPT_WITHIN_MS = 24 * 60 * 60 * 1000;

/** Invite codes, and the one inviter a new customer accepts. */
export function invitesModule(ctx: AppContext, deps: { tasks: TaskService }) {
  const service = createInviteService({ db: ctx.db, clock: ctx.clock, customers: ctx.customers, tasks: deps.tasks, outbox: ctx.outbox, acceptWithinMs: ACCEPT_WITHIN_MS });
  const module: CapabilityModule = { name: 'invites', routes: inviteRoutes(service), ensureIndexes: () => service.ensureIndexes() };
  return { module, service };
}
