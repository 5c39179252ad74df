import { randomUUID } from 'node:crypto';
import type { TestBff } from './bff';

const HOUR = 3_600_000;

/**
 * A valid 事件营销 rule: salary credited pays 50 points within the hour, live from an hour ago for
 * a week by the BFF's clock, for everyone; `overrides` replace whole fields.
 */
export function triggerInput(bff: TestBff, overrides: Record<string, unknown> = {}) {
  const at = (ms: number) => new Date(bff.clock.now().getTime() + ms).toISOString();
  return {
    code: `TRG-${randomUUID().slice(0, 8)}`,
    type: 'trigger',
    orgUnitId: 'org-hq',
    name: '工资到账送积分',
    description: '代发工资到账后 1 小时内送 50 积分',
    event: { source: 'bank', name: 'salary_credited' },
    conditions: [],
    windowMinutes: 60,
    schedule: { startAt: at(-HOUR), endAt: at(7 * 24 * HOUR) },
    action: { kind: 'reward', reward: { kind: 'points', amount: 50 }, budget: { maxRewards: 1000 } },
    ...overrides,
  };
}
