import { Card, Progress, Space, Table, Tag, Typography } from 'antd';
import type { RmTaskExecution, RmTaskProgress, RmTaskType } from '@shared/contracts/marketing-tasks';
import { call } from '@/api/client';
import { PageState } from '@/components/PageState';
import { useLoad } from '@/hooks/useLoad';

type Row = RmTaskExecution['rows'][number];
const people = (n: number) => `${n.toLocaleString('zh-CN')} 位`;

/** What the goal counts for a task's type, as the manager's progress reads it. */
const MEASURED: Record<RmTaskType, { label: string; of: (p: RmTaskProgress) => number }> = {
  share_poster: { label: '经分享到访', of: (p) => p.arrivals },
  send_content: { label: '打开内容', of: (p) => p.opens },
  follow_up: { label: '已跟进', of: (p) => p.followUps },
};

/**
 * 执行情况: every relationship manager the task reached in my subtree, what each did (measured:
 * arrivals through their task scene, opens, follow-ups they recorded) and whether their goal is met.
 */
export function TaskExecution({ id, type }: { id: string; type: RmTaskType }) {
  const execution = useLoad(() => call('getRmTaskExecution', { params: { id } }), [id]);
  const data = execution.data;
  const { label, of } = MEASURED[type];
  return (
    <PageState loading={execution.loading} error={execution.error} onRetry={execution.reload}>
      {data && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="task-execution">
          <Card size="small">
            <Space size="large" align="center">
              <Progress type="circle" size={72} percent={data.managers ? Math.round((data.completed / data.managers) * 100) : 0} />
              <Typography.Text>
                已完成 <strong data-testid="task-completed">{data.completed}</strong> / {people(data.managers)}客户经理
              </Typography.Text>
            </Space>
          </Card>
          <Table<Row>
            rowKey="rmId"
            size="small"
            dataSource={data.rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '机构', dataIndex: 'unitName' },
              { title: '客户经理', dataIndex: 'name' },
              ...(type === 'follow_up' ? [] : [{ title: '已分享', key: 'shared', render: (_: unknown, r: Row) => (r.progress.shared ? '是' : '否') }]),
              { title: `${label}（位）`, key: 'measured', render: (_: unknown, r: Row) => of(r.progress) },
              ...(type === 'share_poster' ? [{ title: '其中新客户（位）', key: 'new', render: (_: unknown, r: Row) => r.progress.newCustomers }] : []),
              ...(type === 'follow_up' ? [{ title: '名单客户（位）', key: 'list', render: (_: unknown, r: Row) => r.progress.listSize }] : []),
              { title: '目标（位）', key: 'goal', render: (_: unknown, r: Row) => r.progress.goal },
              {
                title: '状态',
                key: 'done',
                render: (_: unknown, r: Row) => (r.progress.done ? <Tag color="green">已完成</Tag> : <Tag>未完成</Tag>),
              },
            ]}
          />
        </Space>
      )}
    </PageState>
  );
}
