import type { Reward } from '../../../shared/contracts/activities';

/** 2026-12-31T… → 12月31日 (in the phone's time zone, which for our customers is China's). */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getMonth() + 1}月${d.getDate()}日`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

export function describeReward(reward: Reward): string {
  switch (reward.kind) {
    case 'points':
      return `参与得 ${reward.amount} 积分`;
    case 'coupon':
      return `参与得「${reward.name}」`;
    case 'draw_chance':
      return `参与得 ${reward.count} 次抽奖机会`;
    case 'physical':
      return `参与得「${reward.name}」`;
  }
}
