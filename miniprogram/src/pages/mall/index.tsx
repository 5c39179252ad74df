import { useState } from 'react';
import type { MallItemSummary } from '@shared/contracts/mall';
import { View, Text, ScrollView } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMallHome } from '../../api/mall';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { MallItemCard } from '../../components/mall-item-card';
import { PrivacyGate } from '../../components/privacy-gate';
import { useConsent } from '../../privacy/consent';
import { usePullToRefresh } from '../../hooks/usePullToRefresh';
import './index.scss';
import { usePageView } from '../../hooks/usePageView';

const ALL = '';

/** Orders the grid as the customer asks: as the bank ranked it, or by price either way. */
const SORTS: { label: string; order: (items: MallItemSummary[]) => MallItemSummary[] }[] = [
  { label: '推荐', order: (items) => items },
  { label: '积分从低到高', order: (items) => [...items].sort((a, b) => a.pricePoints - b.pricePoints) },
  { label: '积分从高到低', order: (items) => [...items].sort((a, b) => b.pricePoints - a.pricePoints) },
];
const RANGES: { label: string; holds: (price: number) => boolean }[] = [
  { label: '全部积分', holds: () => true },
  { label: '500 以内', holds: (p) => p <= 500 },
  { label: '500–2000', holds: (p) => p > 500 && p <= 2000 },
  { label: '2000 以上', holds: (p) => p > 2000 },
];

/** One row of choices, one of them on (a sort, a points range). */
function ChipRow({ labels, chosen, onChoose, testid }: { labels: string[]; chosen: number; onChoose: (i: number) => void; testid: string }) {
  return (
    <View className="mall-page__filters">
      {labels.map((label, i) => (
        <Text key={label} className={`mall-page__chip ${chosen === i ? 'mall-page__chip--on' : ''}`} data-testid={`${testid}-${i}`} onClick={() => onChoose(i)}>
          {label}
        </Text>
      ))}
    </View>
  );
}

export default function MallPage() {
  usePageView();
  const { data, error, stale, loading, reload } = useApi(getMallHome, { reloadOnShow: true, cache: 'mall.home' });
  // Before consent the mall is for browsing: the balance is the customer's own, shown once they agree.
  const consented = useConsent().status === 'granted';
  usePullToRefresh(reload);
  const [category, setCategory] = useState(ALL);
  const [sort, setSort] = useState(0);
  const [range, setRange] = useState(0);
  const items = SORTS[sort].order((data?.items ?? []).filter((i) => (category === ALL || i.categoryCode === category) && RANGES[range].holds(i.pricePoints)));
  const reset = () => (setCategory(ALL), setRange(0));
  return (
    <View className="mall-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} stale={stale} onRetry={reload}>
        {data && (
          <>
            <View className="mall-page__header">
              <View>
                <Text className="mall-page__label">我的积分</Text>
                <Text className="mall-page__points" data-testid="mall-points">
                  {consented ? data.balance : '—'}
                </Text>
              </View>
              <View className="mall-page__links">
                <Text className="mall-page__link" onClick={() => Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
                  签到赚积分
                </Text>
                <Text className="mall-page__link" data-testid="mall-orders-link" onClick={() => Taro.navigateTo({ url: '/packages/mall/orders/index' })}>
                  我的订单
                </Text>
                <Text className="mall-page__link" data-testid="mall-rules-link" onClick={() => Taro.navigateTo({ url: '/packages/me/rules/index' })}>
                  积分规则
                </Text>
              </View>
            </View>
            <ScrollView className="mall-page__tabs" scrollX>
              {[{ code: ALL, name: '全部' }, ...data.categories].map((c) => (
                <Text key={c.code} className={`mall-page__tab ${category === c.code ? 'mall-page__tab--on' : ''}`} onClick={() => setCategory(c.code)}>
                  {c.name}
                </Text>
              ))}
            </ScrollView>
            <ChipRow labels={SORTS.map((s) => s.label)} chosen={sort} onChoose={setSort} testid="mall-sort" />
            <ChipRow labels={RANGES.map((r) => r.label)} chosen={range} onChoose={setRange} testid="mall-range" />
            <StateView empty={items.length === 0} emptyText="没有符合条件的商品" emptyAction={{ label: '查看全部商品', onClick: reset }}>
              <View className="mall-page__grid">
                {items.map((item, i) => (
                  <MallItemCard key={item.id} item={item} tier={data.tier} position={i + 1} />
                ))}
              </View>
            </StateView>
          </>
        )}
      </StateView>
    </View>
  );
}
