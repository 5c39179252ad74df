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

/** Which events complete which kind of task: whose task, and when it was done. */
const DONE_BY: Partial<Record<string, { kind: TaskKind; who: (e: FeedEvent) => unknown; when: (e: FeedEvent) => unknown }>> = {
  [EventName.CUSTOMER_PHONE_BOUND]: { kind: 'bind_phone', who: (e) => e.customerId, when: (e) => e.occurredAt },
  [EventName.ACTIVITY_VIEWED]: { kind: 'view', who: (e) => e.customerId, when: (e) => e.occurredAt },
  [EventName.INVITE_ACCEPTED]: { kind: 'invite', who: (e) => e.data.inviterId, when: (e) => e.occurredAt },
  [EventName.QUIZ_PASSED]: { kind: 'quiz', who: (e) => e.customerId, when: (e) => e.data.passedAt },
};

/** The task an event completes, or null. */
function taskDone(e: FeedEvent): { customerId: string; kind: TaskKind; at: Date } | null {
  const rule = e.source === 'domain' ? DONE_BY[e.name] : undefined;
  const customerId = rule?.who(e);
  const at = rule && new Date(String(rule.when(e)));
  if (!rule || typeof customerId !== 'string' || !at || Number.isNaN(at.getTime())) return null;
  return { customerId, kind: rule.kind, at };
}

/** Task activities: done by what customers do elsewhere (bind a phone, view, invite, convert), rewarded once. */
export function tasksModule(ctx: AppContext, deps: { eligibleLive: Eligibility; rewards: RewardEngine; mayPay: (customerId: string) => Promise<boolean> }) {
  const service = createTaskService({ clock: ctx.clock, eligibleLive: deps.eligibleLive, rewards: deps.rewards, customers: ctx.customers });
  // Events that complete a kind of task, for whom and in which period (the task's frequency counts by when it was done, not when the feed got to it):
  // paid under the reward engine's key per task, customer and period, so a redelivery pays nothing. Whether the customer
  // still agrees (no withdrawal, no deletion request since) is read when paying, not taken from when the event was recorded (PIPL).
  ctx.events.subscribe('tasks', {
    wants: (e: FeedEvent) => taskDone(e) !== null,
    handle: async (e) => {
      const done = taskDone(e);
      if (done && (await deps.mayPay(done.customerId))) await service.completed(done.customerId, done.kind, done.at);
    },
  });
  const module: CapabilityModule = { name: 'tasks', routes: taskRoutes(service) };
  return { module, service };
}
