import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { MallOrderDetail } from '@shared/contracts/mall';
import { ApiError } from '@/api/client';
import { getMyOrder } from '@/api/mall';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { ItemCover } from '@/components/item-cover';
import { CouponCodes } from '@/components/coupon-codes';
import { PrivacyGate } from '@/components/privacy-gate';
import { ContactService } from '@/components/contact-service';
import { confirmCancel } from '@/components/order-card';
import { useSettling } from '@/hooks/useSettling';
import { formatDate, formatDay, formatPrice, formatTime } from '@/utils/format';
import { usePageView } from '@/hooks/usePageView';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import './index.scss';

const ORDER_ID = /^MO[0-9a-f]{30}$/;
const ORDERS_URL = '/packages/mall/orders/index';

/** What the status means for the customer now, under its name. */
function statusHint(order: MallOrderDetail): string {
  switch (order.status) {
    case 'processing':
      return '正在为您处理，请稍后刷新查看';
    case 'completed':
      return order.coupon ? '请在有效期内到店出示券码使用' : '权益已发放至您的账户';
    case 'awaiting_shipment':
      return '商品将尽快为您发出';
    case 'shipped':
      return '包裹已发出，请留意查收';
    case 'cancelled':
      return order.prize ? '' : '所用积分已退回您的账户';
    case 'failed':
      return '如有疑问，请联系客服';
  }
}

/** 2026年12月6日 09:05 (Beijing time). */
const formatDateTime = (iso: string) => `${formatDate(iso)} ${formatTime(iso)}`;
/** 2612 0612 3456 7890: the 订单编号 in groups of four, to read out. */
const grouped = (orderNo: string) => orderNo.replace(/(\d{4})(?=\d)/g, '$1 ');

function copyOrderNo(orderNo: string) {
  void Taro.setClipboardData({ data: orderNo }).then(() => Taro.showToast({ title: '订单编号已复制', icon: 'none' }));
}

function Timeline({ order }: { order: MallOrderDetail }) {
  const last = order.timeline.length - 1;
  return (
    <View className="order-page__timeline" data-testid="order-timeline">
      {order.timeline.map((step, i) => (
        <View key={`${step.kind}-${i}`} className={`order-page__step ${i === last ? 'order-page__step--current' : ''}`} data-testid="order-step" data-kind={step.kind}>
          <View className="order-page__rail">
            <View className="order-page__dot" />
            {i < last && <View className="order-page__line" />}
          </View>
          <View className="order-page__step-body">
            <Text className="order-page__step-title">{step.title}</Text>
            {step.note && <Text className="order-page__step-note">{step.note}</Text>}
            <Text className="order-page__step-time">{formatDateTime(step.at)}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}

/** One order: what it is, its codes to show in a shop, what happened to it, where it goes, and who to ask. */
export default function MallOrderPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  // A link with no order or a malformed one is refused here, as the BFF would refuse it.
  const { data: order, error, loading, reload } = useApi(() => (ORDER_ID.test(id) ? getMyOrder(id) : Promise.reject(new ApiError('NOT_FOUND', 404))), { reloadOnShow: true });
  // An order still processing, or goods on their way: pull down to see what has happened since.
  usePullToRefresh(reload);
  useSettling(order, reload);

  return (
    <View className="order-page">
      <PrivacyGate />
      <StateView
        loading={loading}
        error={error}
        onRetry={reload}
        consentText="同意隐私政策后可查看您的订单"
        refusal={{
          title: '未找到该订单',
          text: '订单可能不属于当前登录的账户，或链接已失效。您可以在「我的订单」中查看全部订单。',
          action: { label: '查看我的订单', onClick: () => void Taro.redirectTo({ url: ORDERS_URL }) },
        }}
      >
        {order && (
          <>
            <View className={`order-page__status order-page__status--${order.status}`}>
              <Text className="order-page__status-name" data-testid="order-detail-status">
                {order.statusName}
              </Text>
              {statusHint(order) && <Text className="order-page__status-hint">{statusHint(order)}</Text>}
            </View>

            <View className="order-page__card order-page__item">
              <View className="order-page__thumb" data-testid="order-thumb">
                <ItemCover type={order.itemType} cover={order.cover} label="" />
              </View>
              <View className="order-page__item-body">
                <Text className="order-page__title" data-testid="order-detail-title">
                  {order.title}
                </Text>
                <Text className="order-page__paid" data-testid="order-detail-points">
                  {order.prize ? '抽奖奖品 · 未使用积分' : `实付 ${formatPrice(order.pricePoints, order.cashYuan)}`}
                </Text>
              </View>
            </View>

            {order.coupon && (
              <View className="order-page__card">
                <Text className="order-page__section">我的券码</Text>
                <Text className="order-page__hint">到店向店员出示券码，扫码或输入券码核销</Text>
                <CouponCodes code={order.coupon.code} />
                <Text className="order-page__hint order-page__hint--center">有效期至 {formatDay(order.coupon.validUntil)}</Text>
              </View>
            )}

            {order.perk && (
              <View className="order-page__card">
                <Text className="order-page__section">权益券号</Text>
                <Text className="order-page__voucher">{order.perk.voucherNo}</Text>
                <Text className="order-page__hint">{order.perk.instructions}</Text>
              </View>
            )}

            <View className="order-page__card">
              <Text className="order-page__section">订单进度</Text>
              <Timeline order={order} />
            </View>

            {order.shipping && (
              <View className="order-page__card" data-testid="order-address">
                <Text className="order-page__section">收货信息</Text>
                <Text className="order-page__row-value">
                  {order.shipping.name} {order.shipping.phone}
                </Text>
                <Text className="order-page__hint">
                  {order.shipping.region} {order.shipping.detail}
                </Text>
                {order.shipping.trackingNo && (
                  <Text className="order-page__hint">
                    {order.shipping.carrier} 运单号 {order.shipping.trackingNo}
                  </Text>
                )}
              </View>
            )}

            <View className="order-page__card">
              <Text className="order-page__section">订单信息</Text>
              <View className="order-page__row">
                <Text className="order-page__row-label">订单编号</Text>
                <Text className="order-page__row-value order-page__order-no" data-testid="order-detail-no">
                  {grouped(order.orderNo)}
                </Text>
                <View className="order-page__copy" data-testid="order-no-copy" onClick={() => copyOrderNo(order.orderNo)}>
                  复制
                </View>
              </View>
              <View className="order-page__row">
                <Text className="order-page__row-label">下单时间</Text>
                <Text className="order-page__row-value" data-testid="order-detail-time">
                  {formatDateTime(order.createdAt)}
                </Text>
              </View>
              {order.account && (
                <View className="order-page__row">
                  <Text className="order-page__row-label">充值号码</Text>
                  <Text className="order-page__row-value">{order.account}</Text>
                </View>
              )}
            </View>

            <View className="order-page__actions">
              {order.cancellable && (
                <View className="order-page__cancel" data-testid="order-detail-cancel" onClick={() => void confirmCancel(order, reload)}>
                  取消订单
                </View>
              )}
              <ContactService className="order-page__contact" testid="order-contact" />
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
