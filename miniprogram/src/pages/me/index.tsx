import { View, Text } from '@tarojs/components';
import Taro, { useShareAppMessage } from '@tarojs/taro';
import { Cell } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import { getMyProfile } from '../../api/profile';
import { BindPhoneButton } from '../../components/bind-phone-button';
import { InviteCell } from '../../components/invite-cell';
import { getMyInvite } from '../../api/invites';
import { getMyPoints } from '../../api/points';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { formatDate, formatDay } from '../../utils/format';
import { PrivacyGate } from '../../components/privacy-gate';
import { isConsentRefusal } from '../../api/client';
import { requestConsent } from '../../privacy/consent';
import { Icon, type IconName } from '../../components/icon';
import './index.scss';
import { usePageView } from '../../hooks/usePageView';

const go = (url: string) => () => void Taro.navigateTo({ url });

/** The shortcuts of 我的, each to its own page. */
const ENTRIES: { label: string; icon: IconName; tint: string; url: string; testid: string }[] = [
  { label: '积分明细', icon: 'points', tint: 'red', url: '/packages/me/points/index', testid: 'me-entry-points' },
  { label: '我的奖品', icon: 'gift', tint: 'amber', url: '/packages/me/prizes/index', testid: 'me-entry-prizes' },
  { label: '我的订单', icon: 'order', tint: 'blue', url: '/packages/mall/orders/index', testid: 'me-orders' },
  { label: '地址管理', icon: 'location', tint: 'green', url: '/packages/me/addresses/index', testid: 'me-entry-addresses' },
  { label: '每日签到', icon: 'calendar', tint: 'purple', url: '/packages/activity/checkin/index', testid: 'me-entry-checkin' },
  { label: '积分规则', icon: 'rules', tint: 'blue', url: '/packages/me/rules/index', testid: 'me-entry-rules' },
];

/**
 * 我的. Each section loads on its own, so one failed call shows its own error and retry
 * instead of blanking the page; data already on screen stays when a reload fails.
 */
export default function MePage() {
  usePageView();
  const profile = useApi(getMyProfile, { reloadOnShow: true, cache: 'me.profile' });
  const points = useApi(getMyPoints, { reloadOnShow: true, cache: 'points' });
  const invite = useApi(getMyInvite, { reloadOnShow: true, cache: 'me.invite' });
  // Sharing from 我的 sends the invite card: friends who open it arrive with my code.
  useShareAppMessage(() => ({ title: '邀你一起签到赚积分，积分好礼兑不停', path: invite.data?.path ?? '/pages/index/index' }));

  const p = profile.data;
  return (
    <View className="me-page">
      <PrivacyGate />
      <StateView loading={profile.loading} error={profile.error} stale={profile.stale} onRetry={profile.reload} consentText="同意隐私政策后可查看您的账户信息">
        {p && (
          <View className="me-page__header" data-testid="me-header">
            <View className="me-page__avatar">
              <Icon name="user" size="l" />
            </View>
            <View className="me-page__who">
              <Text className="me-page__nickname">{p.nickname ?? '您好'}</Text>
              <Text className="me-page__member-no">客户号 {p.customerNo}</Text>
            </View>
            <Text className="me-page__tier" data-testid="me-tier">
              {p.tier ? `会员等级 ${p.tier}` : '暂无会员等级'}
            </Text>
          </View>
        )}
      </StateView>

      <View className="me-page__points" onClick={go('/packages/me/points/index')}>
        <Text className="me-page__points-label">我的积分 ›</Text>
        {points.data ? (
          <>
            <Text className="me-page__points-value" data-testid="me-points">
              {points.data.balance}
            </Text>
            {points.data.expiringSoon.amount > 0 && (
              <Text className="me-page__expiring" data-testid="me-expiring">
                {points.data.expiringSoon.amount} 积分将于 {formatDay(points.data.expiringSoon.before!)} 前过期，请尽快使用
              </Text>
            )}
          </>
        ) : isConsentRefusal(points.error) ? (
          <Text className="me-page__points-error" data-testid="me-points-consent" onClick={(e) => (e.stopPropagation(), requestConsent())}>
            同意隐私政策后可查看积分
          </Text>
        ) : points.error ? (
          <Text className="me-page__points-error" onClick={(e) => (e.stopPropagation(), points.reload())}>
            积分暂时无法显示，点此重试
          </Text>
        ) : (
          <View className="me-page__points-skeleton" />
        )}
      </View>

      <View className="me-page__grid">
        {ENTRIES.map((e) => (
          <View key={e.label} className="me-page__entry" data-testid={e.testid} onClick={go(e.url)}>
            <View className={`me-page__entry-icon me-page__entry-icon--${e.tint}`}>
              <Icon name={e.icon} />
            </View>
            <Text className="me-page__entry-label">{e.label}</Text>
          </View>
        ))}
      </View>

      {p && (
        <Cell.Group title="个人信息" className="me-page__group">
          <Cell title="姓名" extra={<Text data-testid="me-name">{p.maskedName ?? '未实名'}</Text>} />
          <Cell title="手机号" extra={p.phoneBound ? <Text data-testid="me-phone">{p.maskedPhone}</Text> : <BindPhoneButton onBound={profile.reload} />} />
          <Cell title="注册时间" extra={formatDate(p.memberSince)} />
        </Cell.Group>
      )}
      <Cell.Group title="邀请与设置" className="me-page__group">
        {invite.data && <InviteCell invite={invite.data} />}
        <View data-testid="me-settings">
          <Cell title="设置" description="个性化推荐、隐私政策、客服、退出登录" clickable onClick={go('/packages/me/settings/index')} />
        </View>
      </Cell.Group>
      <Text className="me-page__privacy">为保护您的隐私，个人信息已做脱敏展示。</Text>
    </View>
  );
}
