import type { CustomerActivity, Reward } from '@shared/contracts/activities';
import { describeReward, rewardVerb } from '../../utils/format';

/** What an invited friend must do, as the card says it. */
const FRIEND_DOES = { register: '注册', bind_phone: '绑定手机号', open_account: '开户' } as const;

/** 得 and the reward: 得 30 积分, 得「咖啡券」, 得 3 次抽奖机会. */
const gains = (reward: Reward) => describeReward(reward, '参与得').replace(/^参与/, '');

/**
 * What an activity pays, as its card and page say it. An invite pays per friend who does what
 * it asks, up to its cap, and may reward the friend too; an assist pays for the friends it
 * needs: their wording comes from those settings (`referralTerms`), never the generic
 * "参与得", which would promise the reward for taking part.
 */
export function rewardLine(activity: Pick<CustomerActivity, 'type' | 'reward' | 'referralTerms'>): string | null {
  const { reward, referralTerms: terms } = activity;
  if (!reward) return null;
  if (terms?.kind === 'invite') {
    const welcome = terms.welcomeReward ? `；好友${gains(terms.welcomeReward)}` : '';
    return `每邀请 1 位好友${FRIEND_DOES[terms.qualifyingAction]}${gains(reward)}，最多 ${terms.friends} 位${welcome}`;
  }
  if (terms?.kind === 'assist') return `集齐 ${terms.friends} 位好友助力${gains(reward)}`;
  return describeReward(reward, rewardVerb(activity.type));
}
