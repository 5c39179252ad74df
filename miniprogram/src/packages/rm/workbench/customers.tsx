import { View, Text } from '@tarojs/components';
import type { RmCustomerPage } from '@shared/contracts/referrals';
import { getMyCustomers, getMyFigures } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { BenchList } from './bench-list';
import { formatDay } from '@/utils/format';

const VIA = { poster: '扫我的海报', link: '我的分享链接', timeline: '朋友圈', referral: '客户推荐', handover: '离职继承' } as const;

export function Figures() {
  const { data, error, loading, reload } = useApi(getMyFigures);
  return (
    <StateView loading={loading} error={error} onRetry={reload}>
      {data && (
        <View className="bench__figures" data-testid="bench-figures">
          {[
            ['服务客户', data.customers],
            ['亲自获客', data.broughtDirectly],
            ['客户推荐', data.broughtThroughCustomers],
            ['继承客户', data.inherited],
          ].map(([label, value]) => (
            <View key={label} className="bench__figure">
              <Text className="bench__figure-value">{value}</Text>
              <Text className="bench__figure-label">{label}</Text>
            </View>
          ))}
        </View>
      )}
    </StateView>
  );
}

export function Customers({ onPoster }: { onPoster: () => void }) {
  const state = useApi<RmCustomerPage>(() => getMyCustomers());
  return (
    <BenchList state={state} testId="bench-customers" emptyText="还没有客户，分享您的海报开始获客" emptyAction={{ label: '生成海报', onClick: onPoster }}>
      {(c) => (
        <View key={c.customerId} className="bench__customer" data-testid="bench-customer">
          <View className="bench__customer-head">
            <Text className="bench__name">{c.name}</Text>
            <Text className="bench__via">{VIA[c.via]}</Text>
          </View>
          <Text className="bench__meta">
            {c.phone ?? '未绑定手机'} · {formatDay(c.since)} 起由我服务
            {c.activityTitle ? ` · 来自「${c.activityTitle}」` : ''}
            {c.invitedBy ? ` · 推荐人 ${c.invitedBy}` : ''}
          </Text>
          {c.joined.length > 0 && <Text className="bench__meta">近期参与：{c.joined.join('、')}</Text>}
        </View>
      )}
    </BenchList>
  );
}
