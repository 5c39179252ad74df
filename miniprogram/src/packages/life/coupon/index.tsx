import { useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { ApiError } from '@/api/client';
import { newIdempotencyKey } from '@/api/idempotency';
import { createClaimIntent } from './claim-intent';
import { claimCoupon, getCoupon, listMyCoupons, type CobrandCoupon } from '@/api/life';
import { StateView } from '@/components/state-view';
import { useApi } from '@/hooks/useApi';
import { usePageView } from '@/hooks/usePageView';
import { formatDay } from '@/utils/format';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { requestConsent } from '@/privacy/consent';
import { askConsentIfRefused } from '@/utils/toast';

const BLOCKED: Record<NonNullable<CobrandCoupon['blockedBy']>, string> = {
  preparing: '准备中',
  sold_out: '已领完',
  limit_reached: '已达领取上限',
  not_started: '未到领取时间',
  ended: '领取已结束',
};

/** One co-branded coupon: its rules, a claim button, and my codes for it to show the merchant. */
export default function CouponPage() {
  usePageView();
  const id = useRouter().params.id ?? '';
  const coupon = useApi(() => getCoupon(id), { reloadOnShow: true });
  const mine = useApi(listMyCoupons, { reloadOnShow: true, cache: 'life.myCoupons' });
  const [busy, setBusy] = useState(false);
  // One key per claim intent, kept across network errors: a retry after a lost answer is the same claim.
  const intent = useRef(createClaimIntent(newIdempotencyKey));
  const codes = (mine.data ?? []).filter((c) => c.couponId === id);
  const claim = async () => {
    if (!requestConsent()) return;
    setBusy(true);
    try {
      await claimCoupon(id, intent.current.key());
      intent.current.settle('ok');
      void Taro.showToast({ title: '领取成功', icon: 'success' });
    } catch (err) {
      intent.current.settle({ status: err instanceof ApiError ? err.status : 0 });
      if (!askConsentIfRefused(err)) void Taro.showToast({ title: err instanceof ApiError ? err.message : '领取失败，请稍后重试', icon: 'none' });
    } finally {
      setBusy(false);
      coupon.reload();
      mine.reload();
    }
  };
  const c = coupon.data;
  return (
    <View className="coupon-page">
      <PrivacyGate />
      <StateView loading={coupon.loading} error={coupon.error} onRetry={coupon.reload}>
        {c && (
          <>
            <View className="coupon-page__card">
              <Text className="coupon-page__merchant">{c.merchant.name}</Text>
              <Text className="coupon-page__title" data-testid="coupon-title">
                {c.title}
              </Text>
              <Text className="coupon-page__desc">{c.description}</Text>
              <Text className="coupon-page__meta">
                剩余 {c.left}/{c.stock} 张 · 每人限领 {c.perCustomerLimit} 张 · 有效期 {formatDay(c.validFrom)} 至 {formatDay(c.validTo)}
              </Text>
            </View>
            {codes.map((m) => (
              <View key={m.claimId} className={`coupon-page__code-card coupon-page__code-card--${m.state}`} data-testid="coupon-code-card">
                <Text className="coupon-page__hint">{m.state === 'unused' ? '到店向店员出示券码' : m.state === 'used' ? '已使用' : '已过期'}</Text>
                <Text className="coupon-page__code" data-testid="coupon-code">
                  {m.code}
                </Text>
              </View>
            ))}
            <View className="coupon-page__card">
              <Text className="coupon-page__section">使用规则</Text>
              <Text className="coupon-page__desc">{c.terms}</Text>
            </View>
            <View className="coupon-page__bar">
              <Button type="primary" block disabled={busy || c.blockedBy !== null} loading={busy} onClick={() => void claim()} data-testid="coupon-claim">
                {c.blockedBy ? BLOCKED[c.blockedBy] : codes.length ? '再领一张' : '立即领取'}
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
