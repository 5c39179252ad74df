import { funnelOf, type Reached } from '../../bff/src/analytics/report';
import { STEPS } from '../../bff/src/analytics/marks';
import { kFactorOf } from '../../bff/src/referrals/invites/rewards';

const at = (s: number) => new Date(Date.UTC(2026, 10, 1) + s * 1000);
const reachedOf = (sets: Partial<Record<(typeof STEPS)[number], [string, number][]>>): Reached =>
  Object.fromEntries(STEPS.map((step) => [step, new Map((sets[step] ?? []).map(([c, s]) => [c, at(s)]))])) as Reached;

describe('the funnel over sets of customers', () => {
  test('when more customers reach a step than the one before (45 against 31), the funnel counts the 30 who came through it and names the 15 others apart', () => {
    // 31 customers saw it; 45 reached the next step, of whom 30 had seen it and 15 came through a shared link.
    const shown = Array.from({ length: 31 }, (_, i) => [`c${i}`, 0] as [string, number]);
    const next = [...shown.slice(0, 30).map(([c]) => [c, 30] as [string, number]), ...Array.from({ length: 15 }, (_, i) => [`link${i}`, 30] as [string, number])];
    const [, click] = funnelOf(reachedOf({ impression: shown, click: next }));
    expect(click).toEqual({ step: 'click', customers: 30, reachedOtherWay: 15, dropOff: 0.0323, medianSecondsFromPrevious: 30 });
  });

  test('on random sets, each step is a subset of the one before, drop-off lies in [0, 1], and the funnel and those named apart make up all who reached the step', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const customers = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, i) => `c${i}`);
      const sets = Object.fromEntries(STEPS.map((step) => [step, customers.filter(() => random() < 0.5).map((c) => [c, Math.floor(random() * 1000)] as [string, number])]));
      const funnel = funnelOf(reachedOf(sets));
      for (const [i, f] of funnel.entries()) {
        if (i === 0) continue;
        const before = funnel[i - 1].customers;
        expect(f.customers + f.reachedOtherWay!).toBe(sets[f.step].length);
        expect(f.customers).toBeLessThanOrEqual(before);
        if (before === 0) expect(f.dropOff).toBeNull();
        else expect(f.dropOff).toBeCloseTo((before - f.customers) / before, 4);
        if (f.dropOff !== null) expect(f.dropOff >= 0 && f.dropOff <= 1).toBe(true);
        if (f.medianSecondsFromPrevious !== null) expect(f.medianSecondsFromPrevious).toBeGreaterThanOrEqual(0);
      }
    }
  });

  test('the median between two steps is over customers who reached both', () => {
    const funnel = funnelOf(
      reachedOf({
        impression: [
          ['a', 0],
          ['b', 0],
          ['c', 0],
        ],
        click: [
          ['a', 10],
          ['b', 50],
          ['z', 5],
        ],
      }),
    );
    expect(funnel[1]).toMatchObject({ customers: 2, reachedOtherWay: 1, dropOff: 0.3333, medianSecondsFromPrevious: 30 });
  });
});

describe('K-factor', () => {
  test('is qualified invitees over every customer who shared, not over those whose friends qualified', () => {
    expect(kFactorOf({ qualified: 4, sharers: 5 })).toBe(0.8);
    expect(kFactorOf({ qualified: 1, sharers: 3 })).toBe(0.33);
    expect(kFactorOf({ qualified: 0, sharers: 0 })).toBe(0);
  });
});
