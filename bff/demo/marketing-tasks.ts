import { DEMO_YEAREND_LIVE_AT } from './activities';
import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

// Fixed dates, as the demo's activities have: the same upload every start changes nothing.
const DECEMBER = '2026-12-01T00:00:00+08:00';

/**
 * Head office's demo tasks for the branches' managers: share the year-end livestream's poster
 * until it goes on air (both branches), and call back Shanghai's customers about the year-end
 * wealth festival.
 */
export async function seedDemoTasks<C extends ReviewedContent, X extends object>(
  admin: ReviewWorkflow<C, X>,
  activityIdForCode: (code: string) => Promise<string | null>,
): Promise<void> {
  const yearEnd = await activityIdForCode('DEMO-LIVE-YEAREND');
  await publishDemo(
    admin,
    [
      ...(yearEnd
        ? [
            {
              code: 'DEMO-TASK-POSTER',
              type: 'share_poster',
              orgUnitId: 'org-hq',
              title: '年终理财直播海报分享',
              description: '请把年终理财直播的预约海报分享给您的客户和朋友：扫码预约即得 10 积分。理财有风险，投资需谨慎。',
              unitIds: ['org-sh', 'org-gz'],
              startAt: DECEMBER,
              endAt: DEMO_YEAREND_LIVE_AT,
              activityId: yearEnd,
              goal: 5,
            },
          ]
        : []),
      {
        code: 'DEMO-TASK-FOLLOW',
        type: 'follow_up',
        orgUnitId: 'org-hq',
        title: '年末客户回访',
        description: '请电话或企业微信回访名单中的客户，问候并介绍年末理财节活动，记录客户的意向。',
        unitIds: ['org-sh'],
        startAt: DECEMBER,
        endAt: '2027-01-31T23:59:59+08:00',
        goal: 2,
      },
    ],
    ['DEMO-TASK-'],
  );
}
