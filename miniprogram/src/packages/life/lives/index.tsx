import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { livestreamStateNamesZh } from '@shared/life-rules';
import { listLivestreams } from '@/api/life';
import { StateView } from '@/components/state-view';
import { useApi } from '@/hooks/useApi';
import { usePageView } from '@/hooks/usePageView';
import { formatDay, formatTime } from '@/utils/format';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

/** The bank's livestreams: 直播中 first, then 预告 by start, then 回放. */
export default function LivesPage() {
  usePageView();
  const lives = useApi(listLivestreams, { reloadOnShow: true, cache: 'life.lives' });
  return (
    <View className="lives-page">
      <PrivacyGate />
      <StateView
        loading={lives.loading}
        error={lives.error}
        stale={lives.stale}
        onRetry={lives.reload}
        empty={lives.data?.length === 0}
        emptyText="近期没有直播安排"
        emptyAction={{ label: '回到生活', onClick: () => void Taro.switchTab({ url: '/pages/life/index' }) }}
      >
        {(lives.data ?? []).map((l) => (
          <View key={l.id} className="lives-page__card" data-testid="live-card" onClick={() => void Taro.navigateTo({ url: `/packages/life/live/index?id=${l.id}` })}>
            <Text className={`lives-page__state lives-page__state--${l.state}`}>{livestreamStateNamesZh[l.state]}</Text>
            <Text className="lives-page__title">{l.title}</Text>
            <Text className="lives-page__meta">
              {l.host} · {formatDay(l.startAt)} {formatTime(l.startAt)}
              {l.reserved ? ' · 已预约' : ''}
            </Text>
          </View>
        ))}
      </StateView>
    </View>
  );
}
