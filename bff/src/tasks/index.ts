import type { Eligibility } from '@/activities';
import type { AppContext } from '@/context';
import { EventName } from '@shared/events';
import type { TaskKind } from '@shared/activity-types';
import type { FeedEvent } from '@/platform/event-feed';
import type { CapabilityModule } from '@/platform/module';
import type { RewardEngine } from '@/rewards';
import { taskRoutes } from './routes';
import { createTaskService } from './service';

export type { TaskService } from './service';

/** Task activities: done by what customers do elsewhere (bind a phone, view, invite, convert), rewarded once. */
export function tasksModule(ctx: AppContext, deps: { eligibleLive: Eligibility; rewards: RewardEngine }) {
  const service = createTaskService({ clock: ctx.clock, eligibleLive: deps.eligibleLive, rewards: deps.rewards, customers: ctx.customers });
  // A phone bound completes "bind a phone number" tasks, an activity opened "view" tasks (in the period it was opened):
  // paid under the reward engine's key per task, customer and period, so a redelivery pays nothing.
  const completes: Partial<Record<string, TaskKind>> = { [EventName.CUSTOMER_PHONE_BOUND]: 'bind_phone', [EventName.ACTIVITY_VIEWED]: 'view' };
  ctx.events.subscribe('tasks', {
    wants: (e: FeedEvent) => e.source === 'domain' && completes[e.name] !== undefined && e.customerId !== null,
    handle: async (e) => {
      await service.completed(e.customerId!, completes[e.name]!, new Date(e.occurredAt));
    },
  });
  const module: CapabilityModule = { name: 'tasks', routes: taskRoutes(service) };
  return { module, service };
}
