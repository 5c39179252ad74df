import type { TagExpression } from '@shared/contracts/targeting';
import { hash32 } from './ids';

export type CustomerProfileForTargeting = {
  tier?: string;
  risk?: string;
  funds?: string;
  interests: string[];
  tags: string[];
  lists: Set<string>;
  isNew: boolean;
};

export function evaluate(expr: TagExpression, p: CustomerProfileForTargeting): boolean {
  if ('all' in expr) return expr.all.every((e) => evaluate(e, p));
  if ('any' in expr) return expr.any.some((e) => evaluate(e, p));
  if ('not' in expr) return !evaluate(expr.not, p);
  if ('tier' in expr) return p.tier !== undefined && (expr.tier as string[]).includes(p.tier);
  if ('risk' in expr) return p.risk !== undefined && (expr.risk as string[]).includes(p.risk);
  if ('funds' in expr) return p.funds !== undefined && (expr.funds as string[]).includes(p.funds);
  if ('interest' in expr) return p.interests.includes(expr.interest);
  if ('tag' in expr) return p.tags.includes(expr.tag);
  if ('list' in expr) return p.lists.has(expr.list);
  return p.isNew === expr.newCustomer;
}

/** The lists an expression names: the only memberships worth looking up for it. */
export function listsIn(expr: TagExpression): string[] {
  if ('all' in expr) return expr.all.flatMap(listsIn);
  if ('any' in expr) return expr.any.flatMap(listsIn);
  if ('not' in expr) return listsIn(expr.not);
  return 'list' in expr ? [expr.list] : [];
}

/**
 * Control-group membership: a deterministic hash of customer and activity, so it is the same
 * in every request and every BFF process, and analytics can later compare with a fair control.
 */
export function inControlGroup(activityId: string, customerId: string, percent: number): boolean {
  if (percent <= 0) return false;
  const bucket = hash32(`${activityId}:${customerId}`) / 0x1_0000_0000;
  return bucket * 100 < percent;
}
