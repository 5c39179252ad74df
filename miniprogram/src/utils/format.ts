import type { ActivityType, Reward } from '@shared/contracts/activities';

// Dates are shown in Beijing time whatever the phone's zone (a customer abroad sees the bank's day). China keeps no
// daylight saving time, so Beijing time is UTC+8 all year.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
function inBeijing(at: string | Date) {
  const d = new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hours: d.getUTCHours(), minutes: d.getUTCMinutes() };
}

/** 2026-12-31T… → 12月31日 this year, 2027年12月31日 in another (Beijing time). */
export function formatDay(iso: string, now: Date = new Date()): string {
  const d = inBeijing(iso);
  return d.year === inBeijing(now).year ? `${d.month}月${d.day}日` : `${d.year}年${d.month}月${d.day}日`;
}

/** 2026-12-31T… → 2026年12月31日 (Beijing time). */
export function formatDate(iso: string): string {
  const d = inBeijing(iso);
  return `${d.year}年${d.month}月${d.day}日`;
}

/** 75 → 1:15 (a countdown or a time taken). */
export const minutesSeconds = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** 2026-12-01T08:05:00Z → 16:05 (Beijing time). */
export function formatTime(iso: string): string {
  const d = inBeijing(iso);
  return `${String(d.hours).padStart(2, '0')}:${String(d.minutes).padStart(2, '0')}`;
}

/** Tasks and quizzes pay for completing them; other activities for taking part. */
export const rewardVerb = (type: ActivityType): '参与得' | '完成得' => (type === 'task' || type === 'quiz' ? '完成得' : '参与得');

/** What an activity pays, with the verb that says for what. */
export function describeReward(reward: Reward, verb: '参与得' | '完成得' = '参与得'): string {
  switch (reward.kind) {
    case 'points':
      return `${verb} ${reward.amount} 积分`;
    case 'coupon':
    case 'physical':
      return `${verb}「${reward.name}」`;
    case 'draw_chance':
      return `${verb} ${reward.count} 次抽奖机会`;
  }
}

/** A mall price: points, plus the cash part when there is one (such items are not redeemable until payment exists). */
export function formatPrice(points: number, cashYuan: number | null): string {
  return cashYuan ? `${points} 积分 + ¥${cashYuan.toFixed(2)}` : `${points} 积分`;
}

/** Why an item cannot be redeemed now, as the button and the card say it. */
export const blockedLabels = {
  sold_out: '已兑完',
  daily_limit: '今日已达上限',
  lifetime_limit: '已达兑换上限',
  tier_not_allowed: '等级不符',
  not_on_sale: '未开售',
  points_insufficient: '积分不足',
  cash_payment_unavailable: '暂不支持现金支付',
} as const;
