import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { rmTaskTypeNamesZh } from '@shared/marketing-task-names';
import { getMyTasks } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { BenchList } from './bench-list';
import { TaskProgress } from '../task-progress';
import '../task-progress.scss';

/** 我的任务: what head office and my branch asked of me, running first, each with how far I am. */
export function Tasks() {
  // Loaded when the tab opens, and again when the page shows anew (back from a task's page, with its progress).
  const state = useApi(getMyTasks);
  useDidShow(state.reload);
  return (
    <BenchList state={state} testId="bench-tasks" emptyText="暂无下达给您的营销任务">
      {(t) => (
        <View
          key={t.id}
          className="bench__task"
          data-testid="bench-task"
          role="button"
          aria-label={`${t.title}，${rmTaskTypeNamesZh[t.type]}`}
          onClick={() => void Taro.navigateTo({ url: `/packages/rm/task/index?id=${t.id}` })}
        >
          <View className="bench__customer-head">
            <Text className="bench__name">{t.title}</Text>
            <Text className="bench__via">{rmTaskTypeNamesZh[t.type]}</Text>
          </View>
          <Text className="bench__meta">
            {t.issuer} 下达{t.activity ? ` · 活动「${t.activity.title}」` : ''}
            {t.content ? ` · 内容「${t.content.title}」` : ''}
          </Text>
          <TaskProgress task={t} />
        </View>
      )}
    </BenchList>
  );
}
