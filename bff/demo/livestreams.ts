import type { Clock } from '../src/platform/clock';
import { inBankTime } from '../src/platform/time';
import { DEMO_YEAREND_LIVE_AT } from './activities';
import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

/**
 * The demo schedule, all on the bank's 视频号: one on air now, one at 8 pm tomorrow (reservable), and
 * the year-end show its 直播 activity reserves (one reservation, paying that activity's 10 积分).
 */
export async function seedDemoLivestreams<C extends ReviewedContent, X extends object>(
  admin: ReviewWorkflow<C, X>,
  clock: Clock,
  activityIdForCode: (code: string) => Promise<string | null>,
): Promise<void> {
  const now = clock.now().getTime();
  const hour = 3_600_000;
  const yearEnd = await activityIdForCode('DEMO-LIVE-YEAREND');
  const live = (code: string, title: string, host: string, description: string, startAt: number, hours: number, activityIds: string[] = []) => ({
    code: `DEMO-LS-${code}`,
    type: 'livestream',
    orgUnitId: 'org-hq',
    title,
    host,
    description,
    startAt: new Date(startAt).toISOString(),
    endAt: new Date(startAt + hours * hour).toISOString(),
    channel: { kind: 'channels', finderUserName: 'sphYuexiangBank', noticeId: `notice-${code.toLowerCase()}` },
    reminder: { templateId: 'TPL_LIVE_REMINDER', leadMinutes: 5 },
    activityIds,
  });
  await publishDemo(
    admin,
    [
      live('NOW', '岁末理财开放日', '理财经理 周敏', '年末资产配置怎么做？现场答疑，理财产品有风险，投资需谨慎。', now - hour, 3),
      live(
        'NEXT',
        '养老金融讲堂',
        '首席分析师 王磊',
        '个人养老金账户开立与税收优惠讲解。',
        inBankTime(clock.now()).add(1, 'day').hour(20).minute(0).second(0).millisecond(0).valueOf(),
        1.5,
      ),
      ...(yearEnd && Date.parse(DEMO_YEAREND_LIVE_AT) > now
        ? [live('YEAREND', '年终理财直播', '理财经理 周敏', '年终资产盘点与来年配置思路，理财产品有风险，投资需谨慎。', Date.parse(DEMO_YEAREND_LIVE_AT), 1.5, [yearEnd])]
        : []),
    ],
    ['DEMO-LS-'],
  );
}
