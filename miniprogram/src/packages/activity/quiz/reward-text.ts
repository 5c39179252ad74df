import type { Reward } from '@shared/contracts/activities';
import type { RewardState } from '@shared/contracts/rewards';
import { describeReward } from '@/utils/format';

/**
 * What a pass came to for its reward, as the BFF's books say (`rewardState`), in the words the
 * customer reads after 通过: paid, still on its way, or not paid and why. Empty without a reward.
 */
export function passRewardText(reward: Reward | null, state: RewardState, rewarded: boolean): string {
  if (!reward) return '';
  if (state === 'issued') return rewarded ? describeReward(reward, '完成得').replace('完成得', '已获得') : '';
  if (state === 'pending') return '奖励发放中，稍后到账。';
  if (state === 'exhausted') return '奖励已发完。';
  if (state === 'unavailable') return '奖励对应的抽奖活动已结束，未能发放。';
  return '';
}
