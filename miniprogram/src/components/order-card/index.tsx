import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ITouchEvent } from '@tarojs/components';
import type { MallOrder } from '@shared/contracts/mall';
import { cancelMyOrder } from '../../api/mall';
import { ItemCover } from '../item-cover';
import { formatDate, formatDay, formatPrice } from '../../utils/format';
import { toastError } from '../../utils/toast';
import { BRAND } from '../../utils/theme';
import './index.scss';

/** Cancelling returns the points: said before it is done. */
export async function confirmCancel(order: MallOrder, onChange: () => void) {
  const { confirm } = await Taro.showModal({ title: '取消订单', content: `取消后 ${order.pricePoints} 积分将退回您的账户。`, confirmText: '确认取消', confirmColor: BRAND });
  if (!confirm) return;
  try {
    await cancelMyOrder(order.id);
    Taro.showToast({ title: '订单已取消，积分已退回', icon: 'none' });
    onChange();
  } catch (err) {
    toastError(err);
  }
}

const openDetail = (order: MallOrder) => void Taro.navigateTo({ url: `/packages/mall/order/index?id=${order.id}` });
/** An action inside the card does its own thing, not the card's (opening the detail). */
const only = (action: () => void) => (e: ITouchEvent) => {
  e.stopPropagation();
  action();
};

/** One order: its status and what the customer got (a coupon code, a voucher, a shipment); tapped, its detail. */
export function OrderCard({ order, onChange }: { order: MallOrder; onChange: () => void }) {
  return (
    <View className="order-card" data-testid="order-card" data-order-no={order.orderNo} onClick={() => openDetail(order)}>
      <View className="order-card__head">
        <View className="order-card__thumb">
          <ItemCover type={order.itemType} cover={order.cover} label="" />
        </View>
        <View className="order-card__head-body">
          <View className="order-card__title-row">
            <Text className="order-card__title">{order.title}</Text>
            <Text className={`order-card__status order-card__status--${order.status}`} data-testid="order-status">
              {order.statusName}
            </Text>
          </View>
          <Text className="order-card__meta">
            {order.prize ? '抽奖奖品' : formatPrice(order.pricePoints, order.cashYuan)} · {formatDate(order.createdAt)}
          </Text>
          <Text className="order-card__meta" data-testid="order-no">
            订单编号 {order.orderNo}
          </Text>
        </View>
      </View>
      {order.coupon && (
        <View className="order-card__code">
          <View className="order-card__code-body" onClick={only(() => void Taro.setClipboardData({ data: order.coupon!.code }))}>
            <Text className="order-card__code-label">券码（点击复制）</Text>
            <Text className="order-card__code-value" data-testid="order-coupon-code">
              {order.coupon.code}
            </Text>
            <Text className="order-card__meta">有效期至 {formatDay(order.coupon.validUntil)}</Text>
          </View>
          <View className="order-card__show" data-testid="order-show-code" onClick={only(() => openDetail(order))}>
            出示券码
          </View>
        </View>
      )}
      {order.perk && (
        <View className="order-card__code">
          <Text className="order-card__code-label">权益券号</Text>
          <Text className="order-card__code-value">{order.perk.voucherNo}</Text>
          <Text className="order-card__meta">{order.perk.instructions}</Text>
        </View>
      )}
      {order.account && <Text className="order-card__meta">充值号码 {order.account}</Text>}
      {order.shipping && (
        <Text className="order-card__meta">
          {order.shipping.name} {order.shipping.phone} {order.shipping.region} {order.shipping.detail}
          {order.shipping.trackingNo ? `\n${order.shipping.carrier} 运单号 ${order.shipping.trackingNo}` : ''}
        </Text>
      )}
      {order.cancellable && (
        <Text className="order-card__cancel" data-testid="order-cancel" onClick={only(() => void confirmCancel(order, onChange))}>
          取消订单
        </Text>
      )}
    </View>
  );
}
