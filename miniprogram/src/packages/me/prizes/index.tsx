import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { MyPrize } from '../../../../../shared/contracts/rewards';
import { getMyPrizes } from '../../../api/prizes';
import { useApi } from '../../../hooks/useApi';
import { StateView } from '../../../components/state-view';
import { formatDate } from '../../../utils/format';
import { toastError } from '../../../utils/toast';
import './index.scss';

const KIND = { coupon: '优惠券', physical: '实物礼品', draw_chance: '抽奖机会' } as const;

/** 我的奖品: coupons and gifts activities gave (points are in 积分明细). */
export default function PrizesPage() {
  const { data, error, loading, reload } = useApi(() => getMyPrizes(), { reloadOnShow: true });
  const [more, setMore] = useState<{ items: MyPrize[]; next: number | null } | null>(null);
  usePullDownRefresh(() => {
    setMore(null);
    reload();
    Taro.stopPullDownRefresh();
  });
  const items = [...(data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (data?.nextBefore ?? null);

  async function loadMore() {
    if (!next) return;
    try {
      const page = await getMyPrizes(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.nextBefore });
    } catch (err) {
      toastError(err);
    }
  }

  return (
    <View className='prizes-page'>
      <StateView loading={loading} error={error} onRetry={reload} empty={data !== null && items.length === 0} emptyText='还没有奖品，参加活动赢好礼' emptyAction={{ label: '去看看活动', onClick: () => void Taro.switchTab({ url: '/pages/activities/index' }) }}>
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
