import { useEffect, useState } from 'react';
import { View, Text, Button as ShareButton } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { ActivityType, CustomerActivity } from '@shared/contracts/activities';
import { JOINABLE_TYPES } from '@shared/activity-types';
import { dismissActivity, getActivity, joinActivity } from '@/api/activities';
import { createShare } from '@/api/referrals';
import type { Share } from '@shared/contracts/referrals';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { describeReward, formatDate } from '@/utils/format';
import { rewardLine } from '@/components/activity-card/reward-line';
import { toastError } from '@/utils/toast';
import { copyShareLink } from '@/utils/share-link';
import { PrivacyGate } from '@/components/privacy-gate';
import { isConsentRefusal } from '@/api/client';
import { requestConsent, useConsent } from '@/privacy/consent';
import './index.scss';
import { usePageView } from '@/hooks/usePageView';
import { markStartIntent } from '../quiz-bank/draft';

const DISMISS_CHOICES = ['不感兴趣', '不再推荐同类活动'];

/** Types taken part in on another page: the button goes there. */
const ELSEWHERE: Partial<Record<ActivityType, { label: string; go: (id: string) => void }>> = {
  // One tap: the quiz page starts (or resumes) the attempt at once; the rules are on this page and stay in its header.
  quiz: {
    label: '开始答题',
    go: (id) => {
      markStartIntent(id);
      void Taro.navigateTo({ url: `/packages/activity/quiz/index?id=${id}` });
    },
  },
  draw: { label: '去抽奖', go: (id) => void Taro.navigateTo({ url: `/packages/draw/index/index?id=${id}` }) },
  task: { label: '去做任务', go: () => void Taro.switchTab({ url: '/pages/index/index' }) },
  assist: { label: '发起助力', go: (id) => void Taro.navigateTo({ url: `/packages/referral/assist/index?activityId=${id}` }) },
  mall: { label: '去积分商城', go: () => void Taro.switchTab({ url: '/pages/mall/index' }) },
};

/**
 * 邀请好友 for an invite activity: the share carries this activity, so a friend who qualifies
 * counts for it. WeChat sends the page's share card; H5 copies the link.
 */
function InviteFriends({ share }: { share: Share | null }) {
  // Before consent there is no share to send (it names the sharer): the button asks for consent.
  if (useConsent().status !== 'granted') {
    return (
      <Button type="primary" className="activity-page__join" onClick={() => requestConsent()} data-testid="activity-invite">
        邀请好友
      </Button>
    );
  }
  if (process.env.TARO_ENV !== 'h5') {
    return (
      <ShareButton className="activity-page__share" openType="share" disabled={!share} data-testid="activity-invite">
        邀请好友
      </ShareButton>
    );
  }
  const copy = () => copyShareLink(share!.path, '邀请链接已复制，发给好友吧');
  return (
    <Button type="primary" className="activity-page__join" disabled={!share} onClick={copy} data-testid="activity-invite">
      复制邀请链接
    </Button>
  );
}

/** The one action this activity has, or none: never a button that does nothing. */
function TakePart({ activity, busy, onJoin, share }: { activity: CustomerActivity; busy: boolean; onJoin: () => void; share: Share | null }) {
  if (activity.type === 'invite') return <InviteFriends share={share} />;
  const elsewhere = ELSEWHERE[activity.type];
  if (elsewhere) {
    return (
      <Button type="primary" className="activity-page__join" onClick={() => elsewhere.go(activity.id)} data-testid={`activity-${activity.type}`}>
        {elsewhere.label}
      </Button>
    );
  }
  if (!JOINABLE_TYPES.includes(activity.type)) return null;
  return (
    <Button type="primary" className="activity-page__join" disabled={activity.joined || busy} loading={busy} onClick={onJoin} data-testid="activity-join">
      {activity.joined ? '已预约' : busy ? '预约中…' : '预约直播'}
    </Button>
  );
}

export default function ActivityPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const { data: activity, error, loading, reload } = useApi(() => getActivity(id));
  const [busy, setBusy] = useState(false);
  const [share, setShare] = useState<Share | null>(null);
  const consented = useConsent().status === 'granted';
  useEffect(() => {
    // Made for the customer as the page opens: without consent it waits (the button asks), never a toast.
    if (activity?.type === 'invite' && consented) createShare(activity.id).then(setShare, (err) => !isConsentRefusal(err) && toastError(err));
  }, [activity?.id, activity?.type, consented]);
  useShareAppMessage(() => ({ title: activity?.title ?? '悦享银行', path: share?.path ?? `/packages/activity/detail/index?id=${id}` }));

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
    <View className="activity-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload}>
        {activity && (
          <>
            <View className={`activity-page__hero activity-page__hero--${activity.type}`}>
              <Text className="activity-page__type">{activity.typeName}</Text>
              <Text className="activity-page__title" data-testid="activity-title">
                {activity.title}
              </Text>
              <Text className="activity-page__dates">
                {formatDate(activity.startAt)} — {formatDate(activity.endAt)}
              </Text>
            </View>
            {activity.reward && <Text className="activity-page__reward">{rewardLine(activity)}</Text>}
            {activity.description && <Text className="activity-page__description">{activity.description}</Text>}
            <View className="activity-page__rules">
              <Text className="activity-page__rules-title">活动规则</Text>
              <Text className="activity-page__rules-text">{activity.rules}</Text>
            </View>
            {!JOINABLE_TYPES.includes(activity.type) && !(activity.type in ELSEWHERE) && activity.type !== 'invite' && (
              <View className="activity-page__notice" data-testid="activity-not-open">
                <Text>本活动的参与入口暂未在小程序开放，开放后可在此页参与。活动时间与规则以本页为准。</Text>
              </View>
            )}
            <View className="activity-page__actions">
              <Button className="activity-page__dismiss" fill="outline" onClick={dismiss} data-testid="activity-dismiss">
                不感兴趣
              </Button>
              <TakePart activity={activity} busy={busy} onJoin={join} share={share} />
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
