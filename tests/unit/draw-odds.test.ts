import { drawRandom, effectiveWeights, pick, RANDOM_RANGE } from '../../bff/src/draws/odds';

const settings = {
  fallbackCode: 'THANKS',
  prizes: [
    { code: 'P100', name: '100 积分', kind: 'points' as const, points: 100, valueYuan: 1, weight: 50, quantity: 10 },
    { code: 'COFFEE', name: '咖啡券', kind: 'coupon' as const, valueYuan: 10, weight: 150, quantity: 10 },
    { code: 'CUP', name: '保温杯', kind: 'physical' as const, valueYuan: 80, weight: 100, quantity: 10 },
    { code: 'THANKS', name: '谢谢参与', kind: 'none' as const, valueYuan: 0, weight: 700 },
  ],
};

// Chi-square critical values at p = 0.000001 by degrees of freedom. These draws use the production random source, so a
// fair one still exceeds a threshold now and then: at p = 0.001 three such checks failed about one run in 300 (seen in a
// full run). A real bias at these sample sizes (a wrong weight, a modulo bias) scores in the hundreds, far above either.
const CRITICAL_P1E6: Record<number, number> = { 1: 23.93, 2: 27.63, 3: 30.66, 4: 33.38 };

function chiSquare(counts: Map<string, number>, expected: Map<string, number>, n: number): number {
  let total = 0;
  for (const [code, p] of expected) total += ((counts.get(code) ?? 0) - n * p) ** 2 / (n * p);
  return total;
}

function drawMany(n: number, available: Set<string>, guaranteed = false) {
  const weights = effectiveWeights(settings, available, guaranteed);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const code = pick(drawRandom(), weights);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

describe('draw selection', () => {
  test('100,000 draws match the configured weights (chi-square, p > 0.000001)', () => {
    const n = 100_000;
    const counts = drawMany(n, new Set(['P100', 'COFFEE', 'CUP']));
    const expected = new Map([
      ['P100', 0.05],
      ['COFFEE', 0.15],
      ['CUP', 0.1],
      ['THANKS', 0.7],
    ]);
    expect(chiSquare(counts, expected, n)).toBeLessThan(CRITICAL_P1E6[3]);
  });

  test('a prize that has run out gives its weight to the fallback, as the rules say', () => {
    const n = 100_000;
    const counts = drawMany(n, new Set(['P100', 'CUP']));
    expect(counts.get('COFFEE') ?? 0).toBe(0);
    const expected = new Map([
      ['P100', 0.05],
      ['CUP', 0.1],
      ['THANKS', 0.85],
    ]);
    expect(chiSquare(counts, expected, n)).toBeLessThan(CRITICAL_P1E6[2]);
  });

  test('a guaranteed draw picks among the real prizes still available, by their weights; with none, the fallback', () => {
    const n = 30_000;
    const counts = drawMany(n, new Set(['P100', 'COFFEE']), true);
    expect(counts.get('THANKS') ?? 0).toBe(0);
    expect(counts.get('CUP') ?? 0).toBe(0);
    expect(
      chiSquare(
        counts,
        new Map([
          ['P100', 0.25],
          ['COFFEE', 0.75],
        ]),
        n,
      ),
    ).toBeLessThan(CRITICAL_P1E6[1]);
    expect(pick(drawRandom(), effectiveWeights(settings, new Set(), true))).toBe('THANKS');
  });

  test('the same random number always lands on the same prize, at the edges too', () => {
    const weights = effectiveWeights(settings, new Set(['P100', 'COFFEE', 'CUP']), false);
    expect(pick(0, weights)).toBe('P100');
    expect(pick(Math.floor(RANDOM_RANGE * 0.05) - 1, weights)).toBe('P100');
    expect(pick(Math.ceil(RANDOM_RANGE * 0.05), weights)).toBe('COFFEE');
    expect(pick(RANDOM_RANGE - 1, weights)).toBe('THANKS');
    const r = drawRandom();
    expect(pick(r, weights)).toBe(pick(r, weights));
  });
});
