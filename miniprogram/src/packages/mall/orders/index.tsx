import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { MallOrder } from '../../../../../shared/contracts/mall';
import { getMyOrders } from '../../../api/mall';
import { useApi } from '../../../hooks/useApi';
import { StateView } from '../../../components/state-view';
import { OrderCard } from '../../../components/order-card';
import { toastError } from '../../../utils/toast';
import './index.scss';

export default function OrdersPage() {
  const { data, error, loading, reload } = useApi(() => getMyOrders(), { reloadOnShow: true });
  const [more, setMore] = useState<{ items: MallOrder[]; next: number | null } | null>(null);
  const orders = [...(data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (data?.nextBefore ?? null);

  async function loadMore() {
    if (!next) return;
    try {
      const page = await getMyOrders(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.nextBefore });
    } catch (err) {
      toastError(err);
    }
  }

  function refresh() {
    setMore(null);
    reload();
  }

  return (
    <View className='orders-page'>
      <StateView loading={loading} error={error} onRetry={reload} empty={orders.length === 0} emptyText='还没有兑换记录，去积分商城看看吧'>
        {orders.map((o) => (
          <OrderCard key={o.id} order={o} onChange={refresh} />
        ))}
        {next && (
          <Text className='orders-page__more' onClick={loadMore}>
            加载更多
          </Text>
        )}
      </StateView>
    </View>
  );
}
