import { randomInt } from 'node:crypto';
import type { DrawPrize, DrawSettings } from '@shared/contracts/draws';

/** Draws take a number below 2^48 − 1 (the widest crypto.randomInt allows) from the operating system's cryptographic source. */
export const RANDOM_RANGE = 2 ** 48 - 1;
export const drawRandom = (): number => randomInt(0, RANDOM_RANGE);

type Weighted = { code: string; weight: number };

/**
 * The weights a draw picks from, as the published rules say: a prize that is not available
 * (run out, over its daily or per-customer cap) gives its weight to the fallback. A guaranteed
 * draw (保底) picks among the available real prizes only, by their own weights; with none left it
 * can only be the fallback.
 */
export function effectiveWeights(settings: Pick<DrawSettings, 'prizes' | 'fallbackCode'>, available: ReadonlySet<string>, guaranteed: boolean): Weighted[] {
  const real = (p: DrawPrize) => p.code !== settings.fallbackCode;
  if (guaranteed) {
    const open = settings.prizes.filter((p) => real(p) && available.has(p.code) && p.weight > 0);
    if (open.length) return open.map((p) => ({ code: p.code, weight: p.weight }));
    return [{ code: settings.fallbackCode, weight: 1 }];
  }
  const passed = settings.prizes.filter((p) => real(p) && !available.has(p.code)).reduce((sum, p) => sum + p.weight, 0);
  return settings.prizes.map((p) => ({ code: p.code, weight: real(p) ? (available.has(p.code) ? p.weight : 0) : p.weight + passed })).filter((w) => w.weight > 0);
}

/**
 * The prize a random number in [0, RANDOM_RANGE) lands on: the weights laid end to end in the
 * prize list's order, in exact integer arithmetic, so an auditor re-running it gets the same prize.
 */
export function pick(random: number, weights: Weighted[]): string {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  const target = (BigInt(random) * BigInt(total)) / BigInt(RANDOM_RANGE);
  let end = 0n;
  for (const w of weights) {
    end += BigInt(w.weight);
    if (target < end) return w.code;
  }
  return weights[weights.length - 1].code;
}

/** Published odds of each prize, in percent to three significant digits (a rare prize is not shown as 0%), before any runs out. */
export function publishedOdds(settings: Pick<DrawSettings, 'prizes'>): Map<string, number> {
  const total = settings.prizes.reduce((sum, p) => sum + p.weight, 0);
  return new Map(settings.prizes.map((p) => [p.code, Number(((p.weight / total) * 100).toPrecision(3))]));
}
