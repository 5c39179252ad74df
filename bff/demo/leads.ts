import { publishDemo } from './publish';
import type { Clock } from '../src/platform/clock';
import type { FeedEvent } from '../src/platform/event-feed';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

const DAY_MS = 86_400_000;

/**
 * Three demo lead rules (a deposit maturing, a large inflow, a wealth livestream watched), each
 * approved by a second person, and one lead for 张三 (陈经理's customer): his deposit maturing, as
 * the bank would report it. The same event every start, so it makes the lead once.
 */
export async function seedDemoLeads<C extends ReviewedContent, X extends object>(
  admin: ReviewWorkflow<C, X>,
  clock: Clock,
  observe: (event: FeedEvent) => Promise<void>,
): Promise<void> {
  const now = clock.now().getTime();
  const schedule = { startAt: new Date(now - DAY_MS).toISOString(), endAt: new Date(now + 90 * DAY_MS).toISOString() };
  const rules = [
    {
      code: 'DEMO-LEAD-DEPOSIT',
      type: 'lead_rule',
      orgUnitId: 'org-hq',
      name: '定期存款到期跟进',
      suggestion: '客户定期存款即将到期，电话了解续存意向，介绍本行三年期定期存款与大额存单',
      event: { source: 'bank', name: 'deposit_maturing' },
      conditions: [{ field: 'amountYuan', op: 'gte', value: 10_000 }],
      windowDays: 30,
      slaHours: 48,
      schedule,
    },
    {
      code: 'DEMO-LEAD-INFLOW',
      type: 'lead_rule',
      orgUnitId: 'org-hq',
      name: '大额资金流入跟进',
      suggestion: '客户有大额资金流入，可预约到网点面谈，介绍稳健型理财配置',
      event: { source: 'bank', name: 'aum_change' },
      conditions: [{ field: 'amountYuan', op: 'gte', value: 100_000 }],
      windowDays: 14,
      slaHours: 24,
      schedule,
    },
    {
      code: 'DEMO-LEAD-LIVE',
      type: 'lead_rule',
      orgUnitId: 'org-hq',
      name: '理财直播观看跟进',
      suggestion: '客户观看了理财直播，企业微信发送直播回顾并了解理财需求',
      event: { source: 'app', name: 'live_watch' },
      conditions: [],
      repeat: { times: 1, withinDays: 7 },
      windowDays: 7,
      slaHours: 72,
      schedule,
    },
  ];
  await publishDemo(admin, rules, ['DEMO-LEAD-']);
  const at = clock.now().toISOString();
  await observe({
    id: 'conversion:demo-lead-deposit-01',
    source: 'bank',
    name: 'conversion.deposit_maturing',
    occurredAt: at,
    recordedAt: at,
    customerId: 'cust-demo-1',
    data: { kind: 'deposit_maturing', productCode: 'TD-3Y', amountYuan: 50_000, activityId: null },
  });
}
