import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

const target = (code: string, orgUnitId: string, title: string, month: string, metric: string, allocations: Record<string, unknown>[]) => ({
  code: `DEMO-TARGET-${code}-${month}`,
  type: 'programme_target',
  orgUnitId,
  title,
  period: { kind: 'month', key: month },
  metric,
  allocations,
});

/** This month's demo targets: head office allots new customers and monthly actives to the two branches; Shanghai splits its share to 陈经理. */
export async function seedDemoTargets<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>, month: string): Promise<void> {
  await publishDemo(
    admin,
    [
      target('HQ-NEW', 'org-hq', `${month} 客户经理获客目标`, month, 'rm_new_customers', [
        { unitId: 'org-sh', value: 20 },
        { unitId: 'org-gz', value: 15 },
      ]),
      target('HQ-MAU', 'org-hq', `${month} 月活跃客户目标`, month, 'monthly_active', [
        { unitId: 'org-sh', value: 200 },
        { unitId: 'org-gz', value: 150 },
      ]),
      target('SH-NEW', 'org-sh', `${month} 上海分行获客分解`, month, 'rm_new_customers', [{ rmId: 'staff-rm-sh', value: 20 }]),
    ],
    ['DEMO-TARGET-'],
  );
}
