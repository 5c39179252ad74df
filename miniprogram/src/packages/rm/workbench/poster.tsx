import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { getMyPoster, getPosterActivities } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { PosterCanvas } from '@/components/poster-canvas';

/** My poster, for the bank's home page or one live activity I choose. */
export function Poster() {
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
