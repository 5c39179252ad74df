import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import type { RmCustomerPage } from '@shared/contracts/referrals';
import { getMyCustomers, getMyFigures, getMyPoster, getPosterActivities, hasStaffSession, staffLogout } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import { StateView } from '@/components/state-view';
import { PosterCanvas } from '@/components/poster-canvas';
import { formatDay } from '@/utils/format';
import './index.scss';

const VIA = { poster: '扫我的海报', link: '我的分享链接', timeline: '朋友圈', referral: '客户推荐', handover: '离职继承' } as const;
type Tab = 'customers' | 'poster';

function Figures() {
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

function Customers({ onPoster }: { onPoster: () => void }) {
  const { data, error, stale, loading, reload } = useApi<RmCustomerPage>(() => getMyCustomers());
  return (
    <StateView
      loading={loading}
      error={error}
      stale={stale}
      onRetry={reload}
      empty={data?.items.length === 0}
      emptyText="还没有客户，分享您的海报开始获客"
      emptyAction={{ label: '生成海报', onClick: onPoster }}
    >
      <View className="bench__list" data-testid="bench-customers">
        {data?.items.map((c) => (
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
        ))}
      </View>
    </StateView>
  );
}

/** My poster, for the bank's home page or one live activity I choose. */
function Poster() {
  const [activityId, setActivityId] = useState<string | undefined>(undefined);
  const activities = useApi(getPosterActivities);
  const { data, error, loading, reload } = useApi(() => getMyPoster(activityId), { key: activityId ?? 'home' });
  const choices = [{ id: undefined, title: '银行首页' }, ...(activities.data?.items ?? [])];
  return (
    <>
      <View className="bench__choices" data-testid="poster-choices">
        {choices.map((c) => (
          <Text key={c.id ?? 'home'} className={`bench__choice ${c.id === activityId ? 'bench__choice--on' : ''}`} onClick={() => setActivityId(c.id)} data-testid="poster-choice">
            {c.title}
          </Text>
        ))}
      </View>
      <StateView loading={loading} error={error} onRetry={reload}>
        {data && <PosterCanvas spec={data} />}
      </StateView>
    </>
  );
}

/** 客户经理工作台: my figures, the customers I look after (masked) and how each came, and my poster. */
export default function WorkbenchPage() {
  const [tab, setTab] = useState<Tab>('customers');
  const [key, setKey] = useState(0);
  useDidShow(() => {
    if (!hasStaffSession()) void Taro.redirectTo({ url: '/packages/rm/login/index' });
  });
  usePullToRefresh(() => setKey((k) => k + 1));
  if (!hasStaffSession()) return <View className="bench" />;
  return (
    <View className="bench" key={key}>
      <Figures />
      <View className="bench__tabs" role="tablist">
        {(
          [
            ['customers', '我的客户'],
            ['poster', '我的海报'],
          ] as const
        ).map(([t, label]) => (
          <View key={t} role="tab" aria-selected={tab === t} className={`bench__tab ${tab === t ? 'bench__tab--on' : ''}`} onClick={() => setTab(t)} data-testid={`bench-tab-${t}`}>
            {label}
          </View>
        ))}
      </View>
      {tab === 'customers' ? <Customers onPoster={() => setTab('poster')} /> : <Poster />}
      <Text
        className="bench__logout"
        onClick={() => {
          staffLogout();
          void Taro.redirectTo({ url: '/packages/rm/login/index' });
        }}
      >
        退出员工登录
      </Text>
    </View>
  );
}
