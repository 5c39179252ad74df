import { median, newcombe, wilson } from '../../bff/src/analytics/intervals';

describe('confidence intervals', () => {
  test('Wilson matches the published example (Newcombe 1998, table I: 81/263)', () => {
    const { low, high } = wilson(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  test('Newcombe method 10 matches the published example (56/70 − 48/80 = 0.2000, 0.0524 to 0.3339)', () => {
    const ci = newcombe(56, 70, 48, 80);
    expect(ci.difference).toBeCloseTo(0.2, 10);
    expect(ci.low).toBeCloseTo(0.0524, 4);
    expect(ci.high).toBeCloseTo(0.3339, 4);
  });

  test('over many synthetic experiments with a known difference, the interval holds it about 95% of the time', () => {
    // mulberry32: a seeded generator good enough for a coverage check.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const trials = 2000;
    let covered = 0;
    for (let t = 0; t < trials; t += 1) {
      const n1 = 400;
      const n2 = 300;
      let x1 = 0;
      let x2 = 0;
      for (let i = 0; i < n1; i += 1) if (random() < 0.12) x1 += 1;
      for (let i = 0; i < n2; i += 1) if (random() < 0.08) x2 += 1;
      const ci = newcombe(x1, n1, x2, n2);
      if (ci.low <= 0.04 && 0.04 <= ci.high) covered += 1;
    }
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.975);
  });

  test('edge cases stay inside [0, 1] and the median is the middle', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
