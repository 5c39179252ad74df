import { Card, Progress, Table, Tag, Typography } from 'antd';
import { rmTaskStateNamesZh, rmTaskTypeNamesZh, type ReachingRmTask } from '@shared/contracts/marketing-tasks';
import { call } from '@/api/client';
import { PageState } from '@/components/PageState';
import { beijingTime } from '@/format';
import { useLoad } from '@/hooks/useLoad';
import { TaskExecution } from './TaskExecution';

const STATE_COLORS = { running: 'green', upcoming: 'blue', ended: 'default' } as const;

/**
 * 任务执行: every marketing task that reaches my org subtree (head office's as well as my own
 * unit's), how many of my managers have met its goal, and each manager's execution when opened.
 */
export default function TaskProgressPage() {
  const tasks = useLoad(() => call('listRmTaskExecutions', {}), []);
  return (
    <Card title="任务执行" data-testid="task-progress-page">
      <Typography.Paragraph type="secondary">完成情况按实际发生计算：经客户经理分享到访的客户、打开内容的客户、客户经理记录的跟进，每位客户只计一次。</Typography.Paragraph>
      <PageState loading={tasks.loading} error={tasks.error} onRetry={tasks.reload}>
        <Table<ReachingRmTask>
          rowKey="id"
          dataSource={tasks.data?.items ?? []}
          locale={{ emptyText: '暂无下达到本机构的营销任务' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (t) => <TaskExecution id={t.id} type={t.type} /> }}
          columns={[
            { title: '任务', dataIndex: 'title' },
            { title: '类型', dataIndex: 'type', render: (v: ReachingRmTask['type']) => rmTaskTypeNamesZh[v] },
            { title: '下达机构', dataIndex: 'issuer' },
            { title: '时间', key: 'window', render: (_: unknown, t) => `${beijingTime(t.startAt)} 至 ${beijingTime(t.endAt)}` },
            { title: '状态', dataIndex: 'state', render: (v: ReachingRmTask['state']) => <Tag color={STATE_COLORS[v]}>{rmTaskStateNamesZh[v]}</Tag> },
            {
              title: '完成人数',
              key: 'completed',
              render: (_: unknown, t) => (
                <span data-testid="task-row-completed">
                  <Progress percent={t.managers ? Math.round((t.completed / t.managers) * 100) : 0} size="small" style={{ width: 120, marginRight: 8 }} showInfo={false} />
                  {t.completed} / {t.managers} 位
                </span>
              ),
            },
          ]}
        />
      </PageState>
    </Card>
  );
}
