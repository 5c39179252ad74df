import { inControlGroup, evaluate } from '../../bff/src/kernel/expression';

describe('control group membership', () => {
  test('is the same on every call for the same customer and activity', () => {
    for (let i = 0; i < 100; i++) expect(inControlGroup('act-1', `c-${i}`, 20)).toBe(inControlGroup('act-1', `c-${i}`, 20));
  });

  test.each([5, 10, 20, 50])('holds out %i%% of 10,000 customers, within ±2 percentage points', (percent) => {
    const held = Array.from({ length: 10_000 }, (_, i) => inControlGroup('act-spring', `customer-${i}`, percent)).filter(Boolean).length;
    expect(Math.abs(held / 100 - percent)).toBeLessThanOrEqual(2);
  });

  test('differs between activities, so the same customers are not always held out', () => {
    const a = Array.from({ length: 1000 }, (_, i) => inControlGroup('act-a', `c-${i}`, 20));
    const b = Array.from({ length: 1000 }, (_, i) => inControlGroup('act-b', `c-${i}`, 20));
    expect(a.filter((x, i) => x && b[i]).length).toBeLessThan(100);
  });

  test('0% holds out nobody', () => {
    expect(Array.from({ length: 1000 }, (_, i) => inControlGroup('x', `c-${i}`, 0)).some(Boolean)).toBe(false);
  });
});

describe('tag expressions', () => {
  const profile = { tier: 'V3', risk: 'R2', funds: 'medium', interests: ['旅行'], tags: ['代发工资'], lists: new Set(['spring-2026']), isNew: false };
  test.each([
    [{ tier: ['V2', 'V3', 'V4'] }, true],
    [{ tier: ['V5'] }, false],
    [{ all: [{ tier: ['V3'] }, { interest: '旅行' }] }, true],
    [{ all: [{ tier: ['V3'] }, { not: { tag: '代发工资' } }] }, false],
    [{ any: [{ list: 'spring-2026' }, { funds: ['high'] }] }, true],
    [{ newCustomer: true }, false],
    [{ risk: ['R4', 'R5'] }, false],
  ])('%j → %s', (expr, expected) => {
    expect(evaluate(expr as never, profile)).toBe(expected);
  });
});
