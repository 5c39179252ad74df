import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CheckinCalendar } from '@shared/contracts/checkin';
import { checkIn } from '../../api/checkin';
import { toastError } from '../../utils/toast';
import { requestConsent } from '../../privacy/consent';
import './index.scss';

type CheckinCardProps = { calendar: CheckinCalendar; onChange: () => void };

/** Today's check-in: one tap, and the streak so far. Opens the month's calendar. */
export function CheckinCard({ calendar, onChange }: CheckinCardProps) {
  const [busy, setBusy] = useState(false);

  async function tap() {
    if (calendar.checkedInToday || busy) return;
    setBusy(true);
    try {
      const result = await checkIn();
      const chances = result.drawChances.map((g) => `「${g.title}」抽奖机会 ${g.chances} 次`).join('、');
      Taro.showToast({ title: `签到成功，+${result.points} 积分${chances ? `，获得${chances}` : ''}`, icon: 'none', duration: chances ? 3000 : 1500 });
      onChange();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="checkin-card">
      <View className="checkin-card__info" onClick={() => Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
        <Text className="checkin-card__title">每日签到</Text>
        <Text className="checkin-card__streak" data-testid="checkin-streak">
          {calendar.checkedInToday
            ? `已连续签到 ${calendar.streak} 天，明日签到可得 ${calendar.nextPoints} 积分`
            : `今日签到可得 ${calendar.nextPoints} 积分${calendar.streak > 0 ? `，已连续 ${calendar.streak} 天` : ''}`}
        </Text>
      </View>
      <Text className={`checkin-card__button ${calendar.checkedInToday ? 'checkin-card__button--done' : ''}`} data-testid="checkin-button" onClick={tap}>
        {calendar.checkedInToday ? '今日已签' : busy ? '签到中…' : `签到 +${calendar.nextPoints}`}
      </Text>
    </View>
  );
}

/** 每日签到 before consent to the privacy policy: the same card, whose 签到 asks for consent first. */
export function CheckinConsentCard() {
  return (
    <View className="checkin-card">
      <View className="checkin-card__info" onClick={() => Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
        <Text className="checkin-card__title">每日签到</Text>
        <Text className="checkin-card__streak" data-testid="checkin-streak">
          同意隐私政策后即可签到赚积分
        </Text>
      </View>
      <Text className="checkin-card__button" data-testid="checkin-button" onClick={() => requestConsent()}>
        签到
      </Text>
    </View>
  );
}
