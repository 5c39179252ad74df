import type { TaskKind } from '@shared/contracts/activities';
import type { MyTask } from '@shared/contracts/tasks';
import type { Eligibility, LiveView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { CustomerDirectory } from '@/platform/directory';
import { bankDay, inBankTime } from '@/platform/time';
import { rewardKey, type RewardEngine } from '@/rewards';

type Frequency = MyTask['frequency'];
type TaskView = LiveView & { live: Extract<LiveView['live'], { type: 'task' }> };

/**
 * The task centre (任务中心). A task is a live activity of type `task`; finishing its action
 * pays its reward through the reward engine, with the period as the reward's source, so a
 * task pays once ever, once a day, or once a week (Asia/Shanghai), however often it is done.
 */
export function createTaskService(deps: { clock: Clock; eligibleLive: Eligibility; rewards: RewardEngine; customers: CustomerDirectory }) {
  function period(frequency: Frequency, now: Date): string {
    if (frequency === 'once') return 'once';
    if (frequency === 'daily') return bankDay(now);
    const d = inBankTime(now);
    return `week-of-${d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD')}`; // weeks start on Monday
  }

  const rewardOf = (t: TaskView, customerId: string, at = deps.clock.now()) => ({ activityId: t._id, customerId, reason: 'task', source: period(t.live.settings.frequency, at) });

  async function myTasks(customerId: string): Promise<TaskView[]> {
    return (await deps.eligibleLive(customerId)).filter((v): v is TaskView => v.live.type === 'task');
  }

  const service = {
    /**
     * Records that the customer did something; pays every task it completes in the period of
     * `at` (now, unless the action was first reported earlier: a repeated report pays nothing new).
     */
    async completed(customerId: string, kind: TaskKind, at?: Date): Promise<number> {
      let paid = 0;
      for (const t of (await myTasks(customerId)).filter((v) => v.live.settings.task === kind && v.live.reward)) {
        const outcome = await deps.rewards
          .issue({ ...rewardOf(t, customerId, at), reward: t.live.reward!, budget: t.live.budget, description: `完成任务：${t.live.title}` })
          .catch((err: { code?: string }) => {
            // The task's budget is spent, or its draw chances have no draw to go to: nothing to pay.
            if (err.code === 'ACTIVITY_BUDGET_EXHAUSTED' || err.code === 'ACTIVITY_NOT_LIVE') return null;
            throw err;
          });
        if (outcome && !outcome.duplicate) paid += 1;
      }
      return paid;
    },

    async list(customerId: string): Promise<MyTask[]> {
      const tasks = await myTasks(customerId);
      let done = await deps.rewards.issuedKeys(tasks.map((t) => rewardOf(t, customerId)));
      // "Bind a phone" asks for a state, not an act: a customer whose phone was bound before the
      // task went live has done it, and is paid for it the first time they see it.
      const owed = tasks.some((t) => t.live.settings.task === 'bind_phone' && !done.has(rewardKey(rewardOf(t, customerId))));
      if (owed && (await deps.customers.findById(customerId))?.phone) {
        await service.completed(customerId, 'bind_phone');
        done = await deps.rewards.issuedKeys(tasks.map((t) => rewardOf(t, customerId)));
      }
      return tasks.map((t) => ({
        activityId: t._id,
        title: t.live.title,
        task: t.live.settings.task,
        frequency: t.live.settings.frequency,
        reward: t.live.reward ?? null,
        done: done.has(rewardKey(rewardOf(t, customerId))),
      }));
    },
  };
  return service;
}

export type TaskService = ReturnType<typeof createTaskService>;
