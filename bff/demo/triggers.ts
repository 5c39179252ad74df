import { publishDemo } from './publish';
import type { Clock } from '../src/platform/clock';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

/** Two demo rules: a salary credited pays a thank-you, a look at the wealth channel offers the livestream. */
export async function seedDemoTriggers<C extends ReviewedContent, X extends object>(
  admin: ReviewWorkflow<C, X>,
  clock: Clock,
  liveViews: () => Promise<{ _id: string; code: string }[]>,
): Promise<void> {
  const now = clock.now().getTime();
  const schedule = { startAt: new Date(now - 86_400_000).toISOString(), endAt: new Date(now + 90 * 86_400_000).toISOString() };
  const activityId = (await liveViews()).find((v) => v.code === 'DEMO-LIVE-YEAREND')?._id ?? null;
  const rules = [
    {
      code: 'DEMO-TRG-SALARY',
      type: 'trigger',
      orgUnitId: 'org-hq',
      name: '工资到账送积分',
      description: '代发工资到账 5,000 元以上，1 小时内送 50 积分',
      event: { source: 'bank', name: 'salary_credited' },
      conditions: [{ field: 'amountYuan', op: 'gte', value: 5000 }],
      windowMinutes: 60,
      schedule,
      action: { kind: 'reward', reward: { kind: 'points', amount: 50 }, budget: { maxRewards: 10_000 } },
    },
    ...(activityId
      ? [
          {
            code: 'DEMO-TRG-WEALTH',
            type: 'trigger',
            orgUnitId: 'org-hq',
            name: '理财直播推荐',
            description: '浏览理财相关内容后推荐本周理财直播',
            event: { source: 'app', name: 'click' },
            conditions: [{ field: 'props.slot', op: 'eq', value: 'home_feed' }],
            windowMinutes: 30,
            schedule,
            action: { kind: 'activity', activityId },
          },
        ]
      : []),
  ];
  await publishDemo(admin, rules, ['DEMO-TRG-']);
}
