import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CheckinCalendar } from '@shared/contracts/checkin';
import { getCheckinCalendar, makeUpCheckin } from '@/api/checkin';
import { getMyPoints } from '@/api/points';
import { toastError } from '@/utils/toast';
import { BRAND } from '@/utils/theme';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { CheckinCard } from '@/components/checkin-card';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** The month as weeks of days, with blanks before the 1st. */
function monthGrid(month: string): (string | null)[] {
  const [y, m] = month.split('-').map(Number);
  const first = new Date(y, m - 1, 1).getDay();
  const count = new Date(y, m, 0).getDate();
  const days = Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  return [...Array<null>(first).fill(null), ...days];
}

/** The month before or after `month` (YYYY-MM). */
function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(y, m - 1 + by, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * Offers 补签 for a missed day of this month or the last, stating its price, the balance it comes
 * from (read now, not as the page last saw it) and what is left; short of points, it says how many.
 */
async function offerMakeup(calendar: CheckinCalendar, day: string, done: () => void) {
  if (calendar.makeupsLeft === 0) {
    Taro.showToast({ title: `${Number(calendar.month.slice(5))} 月补签次数已用完`, icon: 'none' });
    return;
  }
  const date = `${Number(day.slice(5, 7))} 月 ${Number(day.slice(8))} 日`;
  let balance: number;
  try {
    balance = (await getMyPoints()).balance;
  } catch (err) {
    toastError(err);
    return;
  }
  const price = calendar.makeupPrice;
  if (balance < price) {
    await Taro.showModal({
      title: '积分不足',
      content: `补签 ${date}需 ${price} 积分，您当前有 ${balance} 积分，还差 ${price - balance} 积分。签到、做任务可以赚积分。`,
      showCancel: false,
      confirmText: '知道了',
      confirmColor: BRAND,
    });
    return;
  }
  const { confirm } = await Taro.showModal({
    title: '补签',
    content: `补签 ${date}将消耗 ${price} 积分（当前 ${balance} 积分，补签后剩余 ${balance - price} 积分），${Number(calendar.month.slice(5))} 月还可补签 ${calendar.makeupsLeft} 次。补签可接续连续天数，不另得签到积分。`,
    confirmText: '确认补签',
    confirmColor: BRAND,
  });
  if (!confirm) return;
  try {
    await makeUpCheckin(day);
    Taro.showToast({ title: '补签成功', icon: 'none' });
    done();
  } catch (err) {
    toastError(err);
  }
}

const makeupsUsed = (calendar: CheckinCalendar) => calendar.days.filter((d) => d.makeup).length;

export default function CheckinPage() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const { data, error, loading, reload } = useApi(() => getCheckinCalendar(month), { reloadOnShow: true, key: month });
  const current = data?.today.slice(0, 7);
  const checked = new Set(data?.days.map((d) => d.day));
  // Days before the customer joined were not missed: they are shown plain, and offer nothing.
  const missed = (day: string | null): day is string => day !== null && data !== null && day < data.today && (data.firstDay === null || day >= data.firstDay) && !checked.has(day);
  return (
    <View className="checkin-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可签到">
        {data && (
          <>
            <CheckinCard calendar={data} onChange={reload} />
            <View className="checkin-page__calendar">
              <View className="checkin-page__month-bar">
                <Text
                  className={`checkin-page__month-nav ${data.month <= data.earliestMonth ? 'checkin-page__month-nav--off' : ''}`}
                  data-testid="checkin-prev-month"
                  onClick={() => data.month > data.earliestMonth && setMonth(shiftMonth(data.month, -1))}
                >
                  ‹ 上月
                </Text>
                <Text className="checkin-page__month" data-testid="checkin-month">
                  {data.month.replace('-', ' 年 ')} 月
                </Text>
                <Text
                  className={`checkin-page__month-nav ${data.month === current ? 'checkin-page__month-nav--off' : ''}`}
                  data-testid="checkin-next-month"
                  onClick={() => data.month !== current && setMonth(shiftMonth(data.month, 1))}
                >
                  下月 ›
                </Text>
              </View>
              <View className="checkin-page__grid">
                {WEEKDAYS.map((w) => (
                  <Text key={w} className="checkin-page__weekday">
                    {w}
                  </Text>
                ))}
                {monthGrid(data.month).map((day, i) => (
                  <Text
                    key={day ?? `blank-${i}`}
                    className={`checkin-page__day ${day && checked.has(day) ? 'checkin-page__day--done' : ''} ${missed(day) ? 'checkin-page__day--missed' : ''} ${day === data.today ? 'checkin-page__day--today' : ''}`}
                    data-testid={day && checked.has(day) ? 'checkin-day-done' : missed(day) ? `checkin-day-missed-${day}` : undefined}
                    onClick={() => missed(day) && offerMakeup(data, day, reload)}
                  >
                    {day ? Number(day.slice(8)) : ''}
                  </Text>
                ))}
              </View>
              <View className="checkin-page__legend">
                <Text className="checkin-page__legend-item checkin-page__legend-item--done">已签到</Text>
                <Text className="checkin-page__legend-item checkin-page__legend-item--missed">漏签（点击补签，本月余 {data.makeupsLeft} 次）</Text>
              </View>
            </View>
            <View className="checkin-page__rules">
              <Text className="checkin-page__rules-title">签到规则</Text>
              <Text className="checkin-page__rules-text">
                {`每个自然日（北京时间）可签到一次。连续签到第 1 至 ${data.schedule.length} 天分别可得 ${data.schedule.join('、')} 积分，之后按此循环；中断一天则从第 1 天重新计算。点击本月或上月漏签的日期可补签，每次消耗 ${data.makeupPrice} 积分，每月最多补签 ${data.makeupsLeft + makeupsUsed(data)} 次。积分有效期至次年年底。`}
              </Text>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
