import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMyPrizes } from '../../../api/prizes';
import { usePagedApi } from '../../../hooks/usePagedApi';
import { StateView } from '../../../components/state-view';
import { formatDate } from '../../../utils/format';
import { usePullToRefresh } from '../../../hooks/usePullToRefresh';
import './index.scss';

const KIND = { coupon: '优惠券', physical: '实物礼品', draw_chance: '抽奖机会' } as const;

/** 我的奖品: coupons and gifts activities gave (points are in 积分明细). */
export default function PrizesPage() {
  const { items, next, error, loading, reload, loadMore, refresh } = usePagedApi((before) => getMyPrizes(before).then((p) => ({ items: p.items, next: p.nextBefore })), { reloadOnShow: true });
  usePullToRefresh(refresh);

  return (
    <View className='prizes-page'>
      <StateView loading={loading} error={error} onRetry={reload} empty={items.length === 0} emptyText='还没有奖品，参加活动赢好礼' emptyAction={{ label: '去看看活动', onClick: () => void Taro.switchTab({ url: '/pages/activities/index' }) }}>
        {items.map((p) => (
          <View key={p.id} className='prizes-page__card' data-testid='prize-card'>
            <Text className='prizes-page__kind'>{KIND[p.kind]}</Text>
            <Text className='prizes-page__name'>{p.name}</Text>
            <Text className='prizes-page__meta'>{p.description}</Text>
            <Text className='prizes-page__meta'>
              {formatDate(p.grantedAt)} 获得{p.validUntil ? ` · ${formatDate(p.validUntil)} 前有效` : ''}
            </Text>
          </View>
        ))}
        {next && (
          <Text className='prizes-page__more' onClick={loadMore}>
            加载更多
          </Text>
        )}
      </StateView>
    </View>
  );
}
