import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMyOrders } from '@/api/mall';
import { usePagedApi } from '@/hooks/usePagedApi';
import { StateView } from '@/components/state-view';
import { OrderCard } from '@/components/order-card';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

export default function OrdersPage() {
  const {
    items: orders,
    next,
    loading,
    error,
    reload,
    loadMore,
    refresh,
  } = usePagedApi((before) => getMyOrders(before).then((p) => ({ items: p.items, next: p.nextBefore })), { reloadOnShow: true });
  usePullToRefresh(refresh);

  return (
    <View className="orders-page">
      <PrivacyGate />
      <StateView
        loading={loading}
        error={error}
        onRetry={reload}
        consentText="同意隐私政策后可查看您的订单"
        empty={orders.length === 0}
        emptyText="还没有兑换记录"
        emptyAction={{ label: '去积分商城看看', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) }}
      >
        {orders.map((o) => (
          <OrderCard key={o.id} order={o} onChange={refresh} />
        ))}
        {next && (
          <Text className="orders-page__more" onClick={loadMore}>
            加载更多
          </Text>
        )}
      </StateView>
    </View>
  );
}
