import { rewardsApi } from '@shared/contracts/rewards';
import { implement } from '@/platform/http/routes';
import type { RewardEngine } from './engine';

export function rewardRoutes(engine: RewardEngine) {
  return [implement(rewardsApi.listMyPrizes, ({ principal, query }) => engine.prizesOf(principal.id, query.before, query.limit))];
}
