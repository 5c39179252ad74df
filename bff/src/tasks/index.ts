import type { Eligibility } from '../activities';
import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import type { RewardEngine } from '../rewards';
import { taskRoutes } from './routes';
import { createTaskService } from './service';

export type { TaskService } from './service';

/** Task activities: done by what customers do elsewhere (bind a phone, view, invite, convert), rewarded once. */
export function tasksModule(ctx: AppContext, deps: { eligibleLive: Eligibility; rewards: RewardEngine }) {
  const service = createTaskService({ clock: ctx.clock, eligibleLive: deps.eligibleLive, rewards: deps.rewards, customers: ctx.customers });
  const module: CapabilityModule = { name: 'tasks', routes: taskRoutes(service) };
  return { module, service };
}
