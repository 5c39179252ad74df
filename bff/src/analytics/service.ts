import type { ActivityAnalytics } from '@shared/contracts/analytics';
import type { ActivityView } from '@/activities';
import type { Scope } from '@/platform/auth/scope';
import type { Principal } from '@/platform/auth/principal';
import { AppError } from '@/platform/errors';
import type { Marks } from './marks';
import { activityAnalytics, recountFunnel, type RecountSources } from './report';

/** Analytics for the staff who may see the activity: its org unit or one above it. */
export function createAnalyticsService(deps: {
  recountSources: RecountSources;
  marks: Marks;
  scope: Scope;
  findView: (id: string) => Promise<ActivityView | null>;
  controlOf: (activityId: string, customerId: string) => Promise<boolean>;
  referralFigures: (activityId: string) => Promise<ActivityAnalytics['referral']>;
  budgetUsage: (activityId: string) => Promise<{ issued: number; points: number }>;
}) {
  async function visible(principal: Principal, activityId: string): Promise<ActivityView> {
    const view = await deps.findView(activityId);
    if (!view || !(await deps.scope.unitIds(principal)).includes(view.orgUnitId)) throw new AppError('NOT_FOUND', { message: '活动不存在' });
    return view;
  }
  const report = async (principal: Principal, activityId: string, conversion?: string): Promise<ActivityAnalytics> => {
    const view = await visible(principal, activityId);
    const figures = await activityAnalytics(deps.marks, activityId, {
      conversion,
      controlGroupPercent: view.live?.controlGroupPercent ?? 0,
      referral: view.type === 'invite' ? await deps.referralFigures(activityId) : null,
    });
    const budget = view.live?.budget;
    return { ...figures, budget: budget ? { maxRewards: budget.maxRewards, maxPoints: budget.maxPoints ?? null, ...(await deps.budgetUsage(activityId)) } : null };
  };
  return {
    report,
    async check(principal: Principal, activityId: string) {
      const figures = await report(principal, activityId);
      return recountFunnel(deps.recountSources, deps.marks, activityId, figures, deps.controlOf);
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
