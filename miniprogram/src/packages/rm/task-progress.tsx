import { View, Text } from '@tarojs/components';
import type { RmTaskCard } from '@shared/contracts/marketing-tasks';
import { rmTaskStateNamesZh } from '@shared/marketing-task-names';
import { formatDate } from '@/utils/format';

/** What the goal counts and how far the manager is, in words: measured, never ticked by hand. */
export function progressWords(task: Pick<RmTaskCard, 'type' | 'progress'>): string {
  const p = task.progress;
  if (task.type === 'share_poster') return `经您分享到访 ${p.arrivals}/${p.goal} 位客户（其中新客户 ${p.newCustomers} 位）`;
  if (task.type === 'send_content') return `已有 ${p.opens}/${p.goal} 位客户打开`;
  return p.listSize === 0 ? '您的跟进名单为空，无需跟进' : `已跟进 ${p.followUps}/${p.goal} 位客户（名单共 ${p.listSize} 位）`;
}

/** A task's state, window and progress bar, as the list and the detail page both show it. */
export function TaskProgress({ task }: { task: RmTaskCard }) {
  const p = task.progress;
  const measured = task.type === 'share_poster' ? p.arrivals : task.type === 'send_content' ? p.opens : p.followUps;
  const percent = p.goal > 0 ? Math.min(100, Math.round((measured / p.goal) * 100)) : 0;
  return (
    <View className="task-progress" data-testid="task-progress">
      <View className="task-progress__head">
        <Text className={`task-progress__state task-progress__state--${p.done ? 'done' : task.state}`}>{p.done ? '已完成' : rmTaskStateNamesZh[task.state]}</Text>
        <Text className="task-progress__window">
          {formatDate(task.startAt)} 至 {formatDate(task.endAt)}
        </Text>
      </View>
      <View className="task-progress__bar" aria-hidden="true">
        <View className="task-progress__fill" style={{ width: `${percent}%` }} />
      </View>
      <Text className="task-progress__words">{progressWords(task)}</Text>
    </View>
  );
}
