import type { Clock } from '../src/platform/clock';
import { inBankTime } from '../src/platform/time';
import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

/**
 * The demo 内容库: a head-office 话术 and 文章 every manager may share, and a Shanghai poster for
 * Shanghai's managers; valid from yesterday for three months (whole days, so a restart changes nothing that day).
 */
export async function seedDemoContent<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>, clock: Clock): Promise<void> {
  const today = inBankTime(clock.now()).startOf('day');
  const validity = { startAt: today.subtract(1, 'day').toISOString(), endAt: today.add(90, 'day').toISOString() };
  await publishDemo(
    admin,
    [
      {
        code: 'DEMO-CNT-SCRIPT',
        type: 'script',
        orgUnitId: 'org-hq',
        title: '年末理财问候话术',
        body: '您好，我是您的客户经理。年末将至，我行近期举办理财知识讲座与岁末开放日，欢迎您预约参加。理财产品有风险，投资需谨慎，如需了解请随时联系我。',
        ...validity,
      },
      {
        code: 'DEMO-CNT-ARTICLE',
        type: 'article',
        orgUnitId: 'org-hq',
        title: '个人养老金三问三答',
        summary: '三分钟读懂个人养老金账户的开立、缴存与税收优惠',
        body: '一问：谁可以开立个人养老金账户？在中国境内参加城镇职工或城乡居民基本养老保险的劳动者均可开立。\n二问：每年可以缴存多少？每人每年缴存上限为 12000 元，可按月、分次或一次缴存。\n三问：有什么税收优惠？缴存额可在个人所得税综合所得中据实扣除，领取时单独计税。',
        image: '/media/activity-service.svg',
        ...validity,
      },
      {
        code: 'DEMO-CNT-POSTER',
        type: 'poster',
        orgUnitId: 'org-sh',
        title: '上海分行新春海报',
        summary: '新春开门红，到店有好礼',
        image: '/media/demo-poster-newyear.svg',
        ...validity,
      },
    ],
    ['DEMO-CNT-'],
  );
}
