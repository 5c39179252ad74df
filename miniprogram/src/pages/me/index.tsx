import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { Cell, Switch } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import type { LedgerEntry } from '../../../../shared/contracts/points';
import { getMyProfile } from '../../api/profile';
import { BindPhoneButton } from '../../components/bind-phone-button';
import { InviteCell } from '../../components/invite-cell';
import { getMyInvite } from '../../api/invites';
import { getMyLedger, getMyPoints, setPersonalized } from '../../api/points';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { formatDate, formatDay } from '../../utils/format';
import { toastError } from '../../utils/toast';
import './index.scss';

async function loadMe() {
  const [profile, points, ledger, invite] = await Promise.all([getMyProfile(), getMyPoints(), getMyLedger(), getMyInvite()]);
  return { profile, points, ledger, invite };
}

export default function MePage() {
  const { data, error, loading, reload } = useApi(loadMe, { reloadOnShow: true });
  // Sharing from 我的 sends the invite card: friends who open it arrive with my code.
  useShareAppMessage(() => ({ title: '邀你一起签到赚积分，积分好礼兑不停', path: data?.invite.path ?? '/pages/index/index' }));
  const [more, setMore] = useState<{ items: LedgerEntry[]; next: number | null } | null>(null);
  const [personalized, setPersonalizedState] = useState<boolean | null>(null);

  const entries = [...(data?.ledger.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (data?.ledger.nextBeforeSeq ?? null);
  const isPersonalized = personalized ?? data?.profile.personalized ?? true;

  async function loadMore() {
    if (!next) return;
    try {
      const page = await getMyLedger(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.nextBeforeSeq });
    } catch (err) {
      toastError(err);
    }
  }

  async function togglePersonalized(value: boolean) {
    setPersonalizedState(value);
    try {
      await setPersonalized(value);
    } catch (err) {
      setPersonalizedState(!value);
      toastError(err);
    }
  }

  const profile = data?.profile;
  return (
    <View className='me-page'>
      <StateView loading={loading} error={error} onRetry={reload}>
        {profile && data && (
          <>
            <View className='me-page__header' data-testid='me-header'>
              <View className='me-page__avatar'>{(profile.nickname ?? '客').slice(0, 1)}</View>
              <View>
                <Text className='me-page__nickname'>{profile.nickname ?? '微信用户'}</Text>
                <Text className='me-page__member-no'>客户号 {profile.customerNo}</Text>
              </View>
            </View>
            <View className='me-page__points'>
              <Text className='me-page__points-label'>我的积分</Text>
              <Text className='me-page__points-value' data-testid='me-points'>
                {data.points.balance}
              </Text>
              {data.points.expiringSoon.amount > 0 && (
                <Text className='me-page__expiring' data-testid='me-expiring'>
                  {data.points.expiringSoon.amount} 积分将于 {formatDay(data.points.expiringSoon.before!)} 前过期，请尽快使用
                </Text>
              )}
            </View>
            <Cell.Group title='个人信息' className='me-page__group'>
              <Cell title='姓名' extra={<Text data-testid='me-name'>{profile.maskedName ?? '未实名'}</Text>} />
              <Cell title='手机号' extra={profile.phoneBound ? <Text data-testid='me-phone'>{profile.maskedPhone}</Text> : <BindPhoneButton onBound={reload} />} />
              <Cell title='注册时间' extra={formatDate(profile.memberSince)} />
            </Cell.Group>
            <Cell.Group title='积分商城' className='me-page__group'>
              <Cell title='我的订单' extra='券码、物流' clickable data-testid='me-orders' onClick={() => Taro.navigateTo({ url: '/packages/mall/orders/index' })} />
              <Cell title='每日签到' extra='签到赚积分' clickable onClick={() => Taro.navigateTo({ url: '/packages/activity/checkin/index' })} />
              <InviteCell invite={data.invite} />
            </Cell.Group>
            <Cell.Group title='隐私设置' className='me-page__group'>
              <Cell
                title='个性化推荐'
                description='关闭后，将不再根据您的偏好推荐活动'
                extra={<Switch checked={isPersonalized} onChange={togglePersonalized} data-testid='me-personalized' />}
              />
            </Cell.Group>
            <Cell.Group title='积分明细' className='me-page__group'>
              {entries.length === 0 && <Cell title='暂无积分记录' />}
              {entries.map((e) => (
                <Cell
                  key={e.seq}
                  title={e.description}
                  description={formatDate(e.at)}
                  extra={<Text className={e.amount > 0 ? 'me-page__plus' : 'me-page__minus'}>{e.amount > 0 ? `+${e.amount}` : e.amount}</Text>}
                />
              ))}
              {next && <Cell title='加载更多' onClick={loadMore} className='me-page__more' />}
            </Cell.Group>
            <Text className='me-page__privacy'>为保护您的隐私，个人信息已做脱敏展示。</Text>
          </>
        )}
      </StateView>
    </View>
  );
}
