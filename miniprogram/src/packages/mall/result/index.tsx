import { useSettling } from '@/hooks/useSettling';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { getMyOrder } from '@/api/mall';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { OrderCard } from '@/components/order-card';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const HEADLINES = {
  processing: '兑换处理中，请稍候',
  completed: '兑换成功',
  awaiting_shipment: '兑换成功，等待发货',
  shipped: '已发货',
  cancelled: '订单已取消',
  failed: '兑换未成功，积分已退回',
} as const;

export default function MallResultPage() {
  const id = useRouter().params.id ?? '';
  const { data: order, error, loading, reload } = useApi(() => getMyOrder(id));
  useSettling(order, reload);

  return (
    <View className="mall-result-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可查看您的订单">
        {order && (
          <>
            <View className={`mall-result-page__banner mall-result-page__banner--${order.status}`}>
              <Text className="mall-result-page__headline" data-testid="result-headline">
                {HEADLINES[order.status]}
              </Text>
            </View>
            <OrderCard order={order} onChange={reload} />
            <View className="mall-result-page__actions">
              <Button block data-testid="result-orders" onClick={() => Taro.redirectTo({ url: '/packages/mall/orders/index' })}>
                查看我的订单
              </Button>
              <Button block type="primary" data-testid="result-back" onClick={() => Taro.switchTab({ url: '/pages/mall/index' })}>
                返回积分商城
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
