import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { listCoupons, listMyCoupons, type MyCoupon } from '@/api/life';
import { StateView } from '@/components/state-view';
import { useApi } from '@/hooks/useApi';
import { usePageView } from '@/hooks/usePageView';
import { formatDay } from '@/utils/format';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const STATE_NAMES: Record<MyCoupon['state'], string> = { unused: '未使用', used: '已使用', expired: '已过期' };

/** 联名优惠: coupons to claim, and 我的券 with their codes and states. */
export default function CouponsPage() {
  usePageView();
  const [tab, setTab] = useState<'all' | 'mine'>('all');
  const all = useApi(listCoupons, { reloadOnShow: true, cache: 'life.coupons' });
  const mine = useApi(listMyCoupons, { reloadOnShow: true, cache: 'life.myCoupons' });
  const open = (id: string) => void Taro.navigateTo({ url: `/packages/life/coupon/index?id=${id}` });
  return (
    <View className="coupons-page">
      <PrivacyGate />
      <View className="coupons-page__tabs" role="tablist">
        {(['all', 'mine'] as const).map((t) => (
          <View
            key={t}
            role="tab"
            aria-selected={tab === t}
            className={`coupons-page__tab ${tab === t ? 'coupons-page__tab--on' : ''}`}
            data-testid={`coupons-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t === 'all' ? '可领取' : '我的券'}
          </View>
        ))}
      </View>
      {tab === 'all' ? (
        <StateView
          loading={all.loading}
          error={all.error}
          stale={all.stale}
          onRetry={all.reload}
          empty={all.data?.length === 0}
          emptyText="暂无可领取的联名优惠"
          emptyAction={{ label: '去看看生活服务', onClick: () => void Taro.switchTab({ url: '/pages/life/index' }) }}
        >
          {(all.data ?? []).map((c) => (
            <View key={c.id} className="coupons-page__card" data-testid="coupon-card" onClick={() => open(c.id)}>
              <Text className="coupons-page__merchant">{c.merchant.name}</Text>
              <Text className="coupons-page__title">{c.title}</Text>
              <Text className="coupons-page__meta">
                {c.blockedBy === 'preparing'
                  ? '准备中，稍后可领'
                  : c.blockedBy === 'sold_out'
                    ? '已领完'
                    : c.blockedBy === 'limit_reached'
                      ? `已领 ${c.claimedByMe} 张（每人限 ${c.perCustomerLimit} 张）`
                      : `剩 ${c.left} 张 · 领取截至 ${formatDay(c.claimEndsAt)}`}
              </Text>
            </View>
          ))}
        </StateView>
      ) : (
        <StateView
          loading={mine.loading}
          error={mine.error}
          stale={mine.stale}
          onRetry={mine.reload}
          consentText="同意隐私政策后可查看您领取的券"
          empty={mine.data?.length === 0}
          emptyText="还没有领取联名券"
          emptyAction={{ label: '去领取', onClick: () => setTab('all') }}
        >
          {(mine.data ?? []).map((c) => (
            <View key={c.claimId} className={`coupons-page__card coupons-page__card--${c.state}`} data-testid="my-coupon" onClick={() => open(c.couponId)}>
              <Text className="coupons-page__merchant">{c.merchant}</Text>
              <Text className="coupons-page__title">{c.title}</Text>
              <Text className="coupons-page__code" data-testid="my-coupon-code">
                {c.state === 'unused' ? c.code : STATE_NAMES[c.state]}
              </Text>
              <Text className="coupons-page__meta">
                {STATE_NAMES[c.state]} · 有效期至 {formatDay(c.validTo)}
              </Text>
            </View>
          ))}
        </StateView>
      )}
    </View>
  );
}
