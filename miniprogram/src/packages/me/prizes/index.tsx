import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMyPrizes } from '@/api/prizes';
import { getMyDrawPrizes } from '@/api/draws';
import { usePagedApi } from '@/hooks/usePagedApi';
import { StateView, SectionTitle } from '@/components/state-view';
import { DrawPrizeCard } from '@/components/draw-prize-card';
import { formatDate } from '@/utils/format';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const KIND = { coupon: '优惠券', physical: '实物礼品', draw_chance: '抽奖机会' } as const;

/** 我的奖品: what draws gave (to claim, shipped, codes), then coupons and gifts from activities (points are in 积分明细). */
export default function PrizesPage() {
  const drawn = usePagedApi((before) => getMyDrawPrizes(before).then((p) => ({ items: p.items, next: p.nextBefore })), { reloadOnShow: true });
  const granted = usePagedApi((before) => getMyPrizes(before).then((p) => ({ items: p.items, next: p.nextBefore })), { reloadOnShow: true });
  usePullToRefresh(() => {
    drawn.refresh();
    granted.refresh();
  });
  const nothing = drawn.items.length === 0 && granted.items.length === 0;

  return (
    <View className="prizes-page">
      <PrivacyGate />
      <StateView
        loading={drawn.loading || granted.loading}
        error={drawn.error ?? granted.error}
        onRetry={() => (drawn.reload(), granted.reload())}
        consentText="同意隐私政策后可查看您的奖品"
        empty={nothing}
        emptyText="还没有奖品，参加活动赢好礼"
        emptyAction={{ label: '去看看活动', onClick: () => void Taro.switchTab({ url: '/pages/activities/index' }) }}
      >
        {drawn.items.length > 0 && <SectionTitle>抽奖奖品</SectionTitle>}
        {drawn.items.map((p) => (
          <DrawPrizeCard key={p.drawId} prize={p} onChange={drawn.refresh} />
        ))}
        {drawn.next && (
          <Text className="prizes-page__more" onClick={drawn.loadMore}>
            加载更多
          </Text>
        )}
        {granted.items.length > 0 && <SectionTitle>活动奖励</SectionTitle>}
        {granted.items.map((p) => (
          <View key={p.id} className="prizes-page__card" data-testid="prize-card">
            <Text className="prizes-page__kind">{KIND[p.kind]}</Text>
            <Text className="prizes-page__name">{p.name}</Text>
            <Text className="prizes-page__meta">{p.description}</Text>
            <Text className="prizes-page__meta">
              {formatDate(p.grantedAt)} 获得{p.validUntil ? ` · ${formatDate(p.validUntil)} 前有效` : ''}
            </Text>
          </View>
        ))}
        {granted.next && (
          <Text className="prizes-page__more" onClick={granted.loadMore}>
            加载更多
          </Text>
        )}
      </StateView>
    </View>
  );
}
