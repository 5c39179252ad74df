import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { activityTypeNamesZh, type ActivityType } from '@shared/activity-types';
import { listAllMyActivities } from '../../api/activities';
import { listMyTasks } from '../../api/tasks';
import { TaskList } from '../../components/task-list';
import { useApi } from '../../hooks/useApi';
import { SectionTitle, StateView } from '../../components/state-view';
import { ActivityCard } from '../../components/activity-card';
import { PrivacyGate } from '../../components/privacy-gate';
import { usePullToRefresh } from '../../hooks/usePullToRefresh';
import './index.scss';
import { usePageView } from '../../hooks/usePageView';

export default function ActivitiesPage() {
  usePageView();
  const { data, error, stale, loading, reload } = useApi(listAllMyActivities, { reloadOnShow: true, cache: 'activities.all' });
  usePullToRefresh(reload);
  const tasks = useApi(listMyTasks, { reloadOnShow: true });
  const [type, setType] = useState<ActivityType | 'all'>('all');
  const activities = data ?? [];
  const types = [...new Set(activities.map((a) => a.type))];
  const shown = type === 'all' ? activities : activities.filter((a) => a.type === type);
  return (
    <View className="activities-page">
      <PrivacyGate />
      {tasks.data && tasks.data.length > 0 && (
        <>
          <SectionTitle>任务中心</SectionTitle>
          <TaskList tasks={tasks.data} />
        </>
      )}
      <StateView
        loading={loading}
        error={error}
        stale={stale}
        onRetry={reload}
        empty={activities.length === 0}
        emptyText="暂无进行中的活动"
        emptyAction={{ label: '去签到赚积分', onClick: () => void Taro.navigateTo({ url: '/packages/activity/checkin/index' }) }}
      >
        <View className="activities-page__filters">
          {(['all', ...types] as const).map((t) => (
            <Text key={t} className={`activities-page__filter ${t === type ? 'activities-page__filter--on' : ''}`} data-testid={`filter-${t}`} onClick={() => setType(t)}>
              {t === 'all' ? '全部' : activityTypeNamesZh[t]}
            </Text>
          ))}
        </View>
        {shown.map((a, i) => (
          <ActivityCard key={a.id} activity={a} slot="activity_list" position={i + 1} />
        ))}
      </StateView>
    </View>
  );
}
