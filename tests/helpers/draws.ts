import { randomUUID } from 'node:crypto';
import type { TestBff } from './bff';
import { activityInput } from './activities';

/** A draw the rules allow: three real prizes and 谢谢参与, the rules naming each. */
export type DrawTestInput = Omit<ReturnType<typeof activityInput>, 'settings'> & { settings: { prizes: Record<string, unknown>[]; [key: string]: unknown } };

export function drawInput(bff: TestBff, settings: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): DrawTestInput {
  const prizes = (settings.prizes as { name: string }[] | undefined) ?? [
    { code: 'P50', name: '50 积分', kind: 'points', points: 50, valueYuan: 0.5, weight: 300, quantity: 40 },
    { code: 'COFFEE', name: '咖啡券', kind: 'coupon', valueYuan: 10, weight: 200, quantity: 15, dailyCap: 12, perCustomerCap: 1 },
    { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 100, quantity: 5 },
    { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 400 },
  ];
  return activityInput(bff, {
    type: 'draw',
    title: '幸运九宫格',
    reward: undefined,
    rules: `奖品：${prizes.map((p) => p.name).join('、')}。每人每天最多抽 5 次。`,
    budget: { maxRewards: 1000 },
    settings: { fallbackCode: 'THANKS', costPoints: 20, claimDays: 7, ...settings, prizes },
    ...overrides,
  }) as unknown as DrawTestInput;
}

/** Chances for a customer, as a task's reward would credit them (setup, not the behaviour under test). */
export async function giveChances(bff: TestBff, drawCode: string, customerId: string, count: number): Promise<void> {
  await bff.app.services.capabilities.draws.service.grantFromReward(drawCode, customerId, count, `test-grant:${randomUUID()}`);
}

/** The draw's books checked page by page to the end (`limit` a page): the pages, and what they found and checked, added up. */
export async function walkDrawCheck(bff: TestBff, token: string, id: string, limit = 100) {
  const pages: { checkedDraws: number; checkedCustomers: number; violations: string[]; next: string | null; complete: boolean }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await bff.call('checkDrawInvariants', { params: { id }, query: { limit: String(limit), cursor } }, { token });
    if (res.status !== 200) throw new Error(`page ${pages.length + 1}: ${res.status} ${JSON.stringify(res.body)}`);
    pages.push(res.body);
    if (res.body.complete !== (res.body.next === null)) throw new Error(`page ${pages.length}: complete ${res.body.complete} with next ${res.body.next}`);
    if (res.body.complete) break;
    cursor = res.body.next;
  }
  return {
    pages: pages.length,
    checkedDraws: pages.reduce((n, p) => n + p.checkedDraws, 0),
    checkedCustomers: pages.reduce((n, p) => n + p.checkedCustomers, 0),
    violations: pages.flatMap((p) => p.violations),
  };
}
