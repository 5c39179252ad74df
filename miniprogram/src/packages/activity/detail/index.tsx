import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { ActivityType, CustomerActivity } from '../../../../../shared/contracts/activities';
import { JOINABLE_TYPES } from '../../../../../shared/activity-types';
import { dismissActivity, getActivity, joinActivity } from '../../../api/activities';
import { useApi } from '../../../hooks/useApi';
import { StateView } from '../../../components/state-view';
import { describeReward, formatDate, rewardVerb } from '../../../utils/format';
import { toastError } from '../../../utils/toast';
import { PrivacyGate } from '../../../components/privacy-gate';
import './index.scss';

const DISMISS_CHOICES = ['不感兴趣', '不再推荐同类活动'];

/** Types taken part in on another page: the button goes there. */
const ELSEWHERE: Partial<Record<ActivityType, { label: string; go: (id: string) => void }>> = {
  quiz: { label: '开始答题', go: (id) => void Taro.navigateTo({ url: `/packages/activity/quiz/index?id=${id}` }) },
  draw: { label: '去抽奖', go: (id) => void Taro.navigateTo({ url: `/packages/draw/index/index?id=${id}` }) },
  task: { label: '去做任务', go: () => void Taro.switchTab({ url: '/pages/index/index' }) },
  invite: { label: '去邀请好友', go: () => void Taro.switchTab({ url: '/pages/me/index' }) },
  assist: { label: '发起助力', go: (id) => void Taro.navigateTo({ url: `/packages/referral/assist/index?activityId=${id}` }) },
  mall: { label: '去积分商城', go: () => void Taro.switchTab({ url: '/pages/mall/index' }) },
};

/** The one action this activity has, or none: never a button that does nothing. */
function TakePart({ activity, busy, onJoin }: { activity: CustomerActivity; busy: boolean; onJoin: () => void }) {
  const elsewhere = ELSEWHERE[activity.type];
  if (elsewhere) {
    return (
      <Button type='primary' className='activity-page__join' onClick={() => elsewhere.go(activity.id)} data-testid={`activity-${activity.type}`}>
        {elsewhere.label}
      </Button>
    );
  }
  if (!JOINABLE_TYPES.includes(activity.type)) return null;
  return (
    <Button type='primary' className='activity-page__join' disabled={activity.joined || busy} loading={busy} onClick={onJoin} data-testid='activity-join'>
      {activity.joined ? '已预约' : busy ? '预约中…' : '预约直播'}
    </Button>
  );
}

export default function ActivityPage() {
  const id = useRouter().params.id ?? '';
  const { data: activity, error, loading, reload } = useApi(() => getActivity(id));
  const [busy, setBusy] = useState(false);

  async function join() {
    if (!activity) return;
    setBusy(true);
    try {
      const result = await joinActivity(activity.id);
      const paid = activity.reward && result.rewardId && !result.duplicate ? `，${describeReward(activity.reward).replace('参与得', '已获得')}` : '';
      Taro.showToast({ title: `预约成功${paid}`, icon: 'none', duration: 2500 });
      reload();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  async function dismiss() {
    if (!activity) return;
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: DISMISS_CHOICES });
      await dismissActivity(activity.id, tapIndex === 1);
      Taro.showToast({ title: '将减少此类推荐', icon: 'none' });
      setTimeout(() => Taro.navigateBack().catch(() => Taro.switchTab({ url: '/pages/index/index' })), 800);
    } catch (err) {
      if (err instanceof Error && /cancel/i.test(err.message)) return; // the customer closed the sheet
      if ((err as { errMsg?: string })?.errMsg?.includes('cancel')) return;
      toastError(err);
    }
  }

  return (
    <View className='activity-page'>
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload}>
        {activity && (
          <>
            <View className={`activity-page__hero activity-page__hero--${activity.type}`}>
              <Text className='activity-page__type'>{activity.typeName}</Text>
              <Text className='activity-page__title' data-testid='activity-title'>
                {activity.title}
              </Text>
              <Text className='activity-page__dates'>
                {formatDate(activity.startAt)} — {formatDate(activity.endAt)}
              </Text>
            </View>
            {activity.reward && <Text className='activity-page__reward'>{describeReward(activity.reward, rewardVerb(activity.type))}</Text>}
            {activity.description && <Text className='activity-page__description'>{activity.description}</Text>}
            <View className='activity-page__rules'>
              <Text className='activity-page__rules-title'>活动规则</Text>
              <Text className='activity-page__rules-text'>{activity.rules}</Text>
            </View>
            {!JOINABLE_TYPES.includes(activity.type) && !(activity.type in ELSEWHERE) && (
              <View className='activity-page__notice' data-testid='activity-not-open'>
                <Text>本活动的参与入口暂未在小程序开放，开放后可在此页参与。活动时间与规则以本页为准。</Text>
              </View>
            )}
            <View className='activity-page__actions'>
              <Button className='activity-page__dismiss' fill='outline' onClick={dismiss} data-testid='activity-dismiss'>
                不感兴趣
              </Button>
              <TakePart activity={activity} busy={busy} onJoin={join} />
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
