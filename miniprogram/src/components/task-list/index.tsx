import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { taskKindNamesZh } from '@shared/activity-types';
import type { MyTask } from '@shared/contracts/tasks';
import { describeReward } from '../../utils/format';
import { openActivity } from '../activity-card';
import './index.scss';

const FREQUENCY = { once: '限一次', daily: '每日', weekly: '每周' } as const;

/** Where a task is done: binding a phone number is on 我的; the others start from the task's activity. */
function goDo(t: MyTask) {
  if (t.task === 'bind_phone' && !t.done) Taro.switchTab({ url: '/pages/me/index' });
  else openActivity(t.activityId);
}

type TaskListProps = { tasks: MyTask[] };

/** 任务中心: what each task asks, what it pays, and whether it is done for this period. */
export function TaskList({ tasks }: TaskListProps) {
  return (
    <View className="task-list">
      {tasks.map((t) => (
        <View key={t.activityId} className="task-list__item" data-testid="task-item" onClick={() => goDo(t)}>
          <View className="task-list__info">
            <Text className="task-list__title">{t.title}</Text>
            <Text className="task-list__meta">
              {FREQUENCY[t.frequency]} · {taskKindNamesZh[t.task]}
              {t.reward ? ` · ${describeReward(t.reward, '完成得')}` : ''}
            </Text>
          </View>
          <Text className={`task-list__state ${t.done ? 'task-list__state--done' : ''}`}>{t.done ? '已完成' : '去完成'}</Text>
        </View>
      ))}
    </View>
  );
}
