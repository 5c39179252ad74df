import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { livestreamStateNamesZh } from '@shared/life-rules';
import { getLifeHome, listCoupons, listLivestreams } from '../../api/life';
import { PrivacyGate } from '../../components/privacy-gate';
import { ServiceTile } from '../../components/service-tile';
import { StateView } from '../../components/state-view';
import { useApi } from '../../hooks/useApi';
import { usePageView } from '../../hooks/usePageView';
import { usePullToRefresh } from '../../hooks/usePullToRefresh';
import { formatDay } from '../../utils/format';
import './index.scss';

const go = (url: string) => void Taro.navigateTo({ url });

/** 生活: the services grid by category, maintenance notices, 联名优惠 and the bank's livestreams. */
export default function LifePage() {
  usePageView();
  const home = useApi(getLifeHome, { reloadOnShow: true, cache: 'life.home' });
  const coupons = useApi(listCoupons, { reloadOnShow: true, cache: 'life.coupons' });
  const lives = useApi(listLivestreams, { reloadOnShow: true, cache: 'life.lives' });
  usePullToRefresh(() => {
    home.reload();
    coupons.reload();
    lives.reload();
  });
  const data = home.data;
  const shownLives = (lives.data ?? []).filter((l) => l.state === 'live' || l.state === 'upcoming').slice(0, 2);
  return (
    <View className="life-page">
      <PrivacyGate />
      <StateView
        loading={home.loading}
        error={home.error}
        stale={home.stale}
        onRetry={home.reload}
        empty={data?.categories.length === 0}
        emptyText="生活服务正在上线中"
        emptyAction={{ label: '去积分商城逛逛', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) }}
      >
        {data && data.notices.length > 0 && (
          <View className="life-page__notices" data-testid="life-notices" role="status">
            {data.notices.map((n) => (
              <Text key={n} className="life-page__notice">
                {n}
              </Text>
            ))}
          </View>
        )}
        {data && data.pinned.length > 0 && (
          <View className="life-page__card">
            <Text className="life-page__card-title">常用服务</Text>
            <View className="life-page__grid">
              {data.pinned.map((s) => (
                <ServiceTile key={s.id} service={s} />
              ))}
            </View>
          </View>
        )}
        {shownLives.length > 0 && (
          <View className="life-page__card">
            <View className="life-page__head">
              <Text className="life-page__card-title">直播</Text>
              <Text className="life-page__more" onClick={() => go('/packages/life/lives/index')}>
                全部直播 ›
              </Text>
            </View>
            {shownLives.map((l) => (
              <View key={l.id} className="life-page__row" data-testid="life-live" onClick={() => go(`/packages/life/live/index?id=${l.id}`)}>
                <Text className={`life-page__badge life-page__badge--${l.state}`}>{livestreamStateNamesZh[l.state]}</Text>
                <Text className="life-page__row-title">{l.title}</Text>
                <Text className="life-page__row-meta">{l.state === 'upcoming' ? `${l.reserved ? '已预约 · ' : ''}${formatDay(l.startAt)}` : l.host}</Text>
              </View>
            ))}
          </View>
        )}
        {(coupons.data ?? []).length > 0 && (
          <View className="life-page__card">
            <View className="life-page__head">
              <Text className="life-page__card-title">联名优惠</Text>
              <Text className="life-page__more" onClick={() => go('/packages/life/coupons/index')}>
                全部优惠 ›
              </Text>
            </View>
            {coupons.data!.slice(0, 3).map((c) => (
              <View key={c.id} className="life-page__row" data-testid="life-coupon" onClick={() => go(`/packages/life/coupon/index?id=${c.id}`)}>
                <Text className="life-page__badge">{c.merchant.name}</Text>
                <Text className="life-page__row-title">{c.title}</Text>
                <Text className="life-page__row-meta">{c.blockedBy === 'sold_out' ? '已领完' : c.blockedBy === 'limit_reached' ? '已领取' : `剩 ${c.left} 张`}</Text>
              </View>
            ))}
          </View>
        )}
        {data?.categories.map((c) => (
          <View key={c.category} className="life-page__card">
            <Text className="life-page__card-title">{c.name}</Text>
            <View className="life-page__grid">
              {c.services.map((s) => (
                <ServiceTile key={s.id} service={s} />
              ))}
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}
