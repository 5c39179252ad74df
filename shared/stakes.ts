import { ActivityInput } from './contracts/activities';
import { prizeKindNamesZh } from './contracts/draws';
import type { TagExpression } from './contracts/targeting';

/** One prize of a draw as a reviewer weighs it: its chance, how many, and what they are worth. */
export type PrizeStake = {
  code: string;
  name: string;
  kindName: string;
  /** Its weight over the sum of all weights, in per cent: the odds the rules page publishes. */
  oddsPercent: number;
  /** How many can be won in all; null for the unlimited fallback. */
  quantity: number | null;
  valueYuan: number;
  /** quantity × valueYuan; 0 for the fallback. */
  totalYuan: number;
};

/** What approving an activity puts at stake: the prizes it can give, their worth, and the most points it can pay. */
export type ActivityStakes = {
  prizes: PrizeStake[];
  /** The worth of every prize that can be won, in 元. */
  prizeValueYuan: number;
  /** The most points the activity can pay (the points liability it creates); 0 when it pays none. */
  pointsLiability: number;
  /** The most rewards it pays in all (its budget). */
  maxRewards: number;
  controlGroupPercent: number;
  /** Whom it is aimed at; null: every customer. */
  audience: TagExpression | null;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/** An activity's stakes, or null for content that is not a complete activity. */
export function activityStakes(content: unknown): ActivityStakes | null {
  const parsed = ActivityInput.safeParse(content);
  if (!parsed.success) return null;
  const a = parsed.data;
  const capped = (points: number) => Math.min(points, a.budget.maxPoints ?? points);
  const audience = a.targeting.mode === 'tags' ? a.targeting.expression : null;
  if (a.type !== 'draw') {
    const perReward = a.reward?.kind === 'points' ? a.reward.amount : 0;
    return {
      prizes: [],
      prizeValueYuan: 0,
      pointsLiability: capped(perReward * a.budget.maxRewards),
      maxRewards: a.budget.maxRewards,
      controlGroupPercent: a.controlGroupPercent,
      audience,
    };
  }
  const weights = a.settings.prizes.reduce((sum, p) => sum + p.weight, 0);
  const prizes = a.settings.prizes.map((p): PrizeStake => ({
    code: p.code,
    name: p.name,
    kindName: prizeKindNamesZh[p.kind],
    oddsPercent: weights > 0 ? round2((p.weight / weights) * 100) : 0,
    quantity: p.quantity ?? null,
    valueYuan: p.valueYuan,
    totalYuan: round2((p.quantity ?? 0) * p.valueYuan),
  }));
  const points = a.settings.prizes.reduce((sum, p) => sum + (p.kind === 'points' ? (p.quantity ?? 0) * (p.points ?? 0) : 0), 0);
  return {
    prizes,
    prizeValueYuan: round2(prizes.reduce((sum, p) => sum + p.totalYuan, 0)),
    pointsLiability: capped(points),
    maxRewards: a.budget.maxRewards,
    controlGroupPercent: a.controlGroupPercent,
    audience,
  };
}
