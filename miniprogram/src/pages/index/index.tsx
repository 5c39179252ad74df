import { useRef } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CustomerActivity } from '@shared/contracts/activities';
import { getMyPoints } from '../../api/points';
import { Swiper } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/swiper/style/css';
import { listMyActivities, listPublicActivities } from '../../api/activities';
import { activityArt } from '../../api/media';
import { formatDay } from '../../utils/format';
import { getCheckinCalendar } from '../../api/checkin';
import { CheckinCard, CheckinConsentCard } from '../../components/checkin-card';
import { isConsentRefusal } from '../../api/client';
import { useApi } from '../../hooks/useApi';
import { StateView, SectionTitle } from '../../components/state-view';
import { ActivityCard, openActivity } from '../../components/activity-card';
import { PrivacyGate } from '../../components/privacy-gate';
import { OfferList } from '../../components/offer-list';
import { listMyOffers } from '../../api/offers';
import { Icon, type IconName } from '../../components/icon';
import './index.scss';
import { usePageView } from '../../hooks/usePageView';

/** What a banner's call to action says, by the activity's type. */
const CTA: Partial<Record<CustomerActivity['type'], string>> = {
  quiz: '去答题',
  draw: '去抽奖',
  live: '预约直播',
  task: '去完成',
  invite: '去邀请',
  assist: '发起助力',
  mall: '去兑换',
  service: '去看看',
};

/** The shortcuts of 首页, to what exists: a type's shortcut appears when one of its activities is live. */
function shortcutsFor(activities: CustomerActivity[]): { label: string; icon: IconName; tint: string; go: () => void }[] {
  const first = (type: string) => activities.find((a) => a.type === type);
  const quiz = first('quiz');
  const draw = first('draw');
  const live = first('live');
  const invite = first('invite');
  return [
    { label: '签到', icon: 'calendar' as IconName, tint: 'red', go: () => void Taro.navigateTo({ url: '/packages/activity/checkin/index' }) },
    { label: '积分商城', icon: 'store' as IconName, tint: 'amber', go: () => void Taro.switchTab({ url: '/pages/mall/index' }) },
    ...(quiz ? [{ label: '答题', icon: 'quiz' as IconName, tint: 'blue', go: () => openActivity(quiz.id) }] : []),
    ...(draw ? [{ label: '抽奖', icon: 'draw' as IconName, tint: 'purple', go: () => void Taro.navigateTo({ url: `/packages/draw/index/index?id=${draw.id}` }) }] : []),
    // To the invite activity, whose page sends the invitation: not to 我的, where the customer would have to look for it.
    ...(invite ? [{ label: '邀请', icon: 'invite' as IconName, tint: 'green', go: () => openActivity(invite.id) }] : []),
    ...(live ? [{ label: '直播', icon: 'live' as IconName, tint: 'red', go: () => openActivity(live.id) }] : []),
    { label: '积分明细', icon: 'points' as IconName, tint: 'amber', go: () => void Taro.navigateTo({ url: '/packages/me/points/index' }) },
    { label: '全部活动', icon: 'all' as IconName, tint: 'blue', go: () => void Taro.switchTab({ url: '/pages/activities/index' }) },
  ];
}

export default function HomePage() {
  usePageView();
  const mine = useApi(listMyActivities, { reloadOnShow: true, cache: 'home.activities' });
  // A first visit has nothing cached: what is on offer for everyone shows while the sign-in runs, then the customer's own feed replaces it.
  const firstVisit = useRef(mine.data === null).current;
  const preview = useApi(() => (firstVisit ? listPublicActivities() : Promise.resolve(null)));
  const activities = mine.data ?? preview.data;
  const { reload } = mine;
  const loading = mine.loading && !preview.data;
  // The customer's feed failing while the preview shows: the preview stays, with the notice a failed refresh gets.
  const error = activities ? null : mine.error;
  const stale = mine.stale ?? (activities ? mine.error : null);
  const checkin = useApi(getCheckinCalendar, { reloadOnShow: true, cache: 'home.checkin' });
  const points = useApi(getMyPoints, { reloadOnShow: true, cache: 'points' });
  const offers = useApi(listMyOffers, { reloadOnShow: true, cache: 'home.offers' });
  const featured = (activities ?? []).slice(0, 3);
  return (
    <View className="home-page">
      <PrivacyGate />
      <View className="home-page__hero">
        <Text className="home-page__greeting">您好，欢迎来到悦享银行</Text>
        <View className="home-page__balance" onClick={() => void Taro.navigateTo({ url: '/packages/me/points/index' })}>
          <Text className="home-page__sub">我的积分</Text>
          <Text className="home-page__points" data-testid="home-points">
            {points.data ? points.data.balance : '—'}
          </Text>
          <Text className="home-page__sub">明细 ›</Text>
        </View>
      </View>
      {checkin.data ? (
        <View className="home-page__checkin">
          <CheckinCard calendar={checkin.data} onChange={checkin.reload} />
        </View>
      ) : (
        isConsentRefusal(checkin.error) && (
          <View className="home-page__checkin">
            <CheckinConsentCard />
          </View>
        )
      )}
      <View className="home-page__shortcuts">
        {shortcutsFor(activities ?? []).map((s) => (
          <View key={s.label} className="home-page__shortcut" data-testid="home-shortcut" onClick={s.go}>
            <View className={`home-page__shortcut-icon home-page__shortcut-icon--${s.tint}`}>
              <Icon name={s.icon} />
            </View>
            <Text className="home-page__shortcut-label">{s.label}</Text>
          </View>
        ))}
      </View>
      <OfferList offers={offers.data ?? []} onChange={offers.reload} />
      <StateView
        loading={loading}
        error={error}
        stale={stale}
        onRetry={reload}
        empty={activities?.length === 0}
        emptyText="暂无进行中的活动，敬请期待"
        emptyAction={{ label: '去积分商城逛逛', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) }}
      >
        {featured.length > 0 && (
          // NutUI's swiper is 100% wide by inline style: the side margins are its parent's padding.
          <View className="home-page__banner-wrap">
            <Swiper className="home-page__banner" autoPlay={featured.length > 1} loop={featured.length > 1} indicator={featured.length > 1} height={160}>
              {featured.map((a) => (
                <Swiper.Item key={a.id}>
                  <View className={`home-page__slide home-page__slide--${a.type}`} data-testid="banner-slide" onClick={() => openActivity(a.id)}>
                    <View className="home-page__slide-text">
                      <Text className="home-page__slide-type">{a.typeName}</Text>
                      <Text className="home-page__slide-title">{a.title}</Text>
                      <Text className="home-page__slide-period" data-testid="banner-period">
                        {formatDay(a.startAt)} – {formatDay(a.endAt)}
                      </Text>
                      <Text className="home-page__slide-cta" data-testid="banner-cta">
                        {CTA[a.type] ?? '立即参与'} ›
                      </Text>
                    </View>
                    <Image className="home-page__slide-art" src={activityArt(a, 'banner')} mode="aspectFill" aria-hidden="true" data-testid="banner-art" />
                  </View>
                </Swiper.Item>
              ))}
            </Swiper>
          </View>
        )}
        <SectionTitle>为您推荐</SectionTitle>
        {(activities ?? []).map((a, i) => (
          <ActivityCard key={a.id} activity={a} slot="home_feed" position={i + 1} />
        ))}
      </StateView>
    </View>
  );
}
