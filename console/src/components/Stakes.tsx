import { Card, Descriptions, Table, Typography } from 'antd';
import { activityStakes, type ActivityStakes, type PrizeStake } from '@shared/stakes';
import { Estimate } from '@/forms/AudienceBuilder';

const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const points = (n: number) => `${n.toLocaleString('zh-CN')} 积分`;

/** A figure before and after the change, or the figure alone when it did not change or the document is new. */
function Change({ before, after, show }: { before: number | undefined; after: number; show: (n: number) => string }) {
  if (before === undefined || before === after) return <>{show(after)}</>;
  return (
    <>
      <Typography.Text type="secondary" delete>
        {show(before)}
      </Typography.Text>
      {' → '}
      <Typography.Text strong>{show(after)}</Typography.Text>
    </>
  );
}

/**
 * What approving an activity puts at stake, from its content as the reviewer approves it: the worth of its prizes,
 * the most points it can pay, and each prize's odds; beside the live version's figures when it changes them.
 */
export function ActivityStakesCard({ live, working }: { live: unknown; working: unknown }) {
  const after = activityStakes(working);
  if (!after) return null;
  const before: ActivityStakes | null = live ? activityStakes(live) : null;
  const oddsBefore = new Map(before?.prizes.map((p) => [p.code, p.oddsPercent]));
  return (
    <Card title="涉及的奖励与成本" size="small" data-testid="stakes">
      <Descriptions size="small" column={4}>
        <Descriptions.Item label="奖品总价值">
          <Change before={before?.prizeValueYuan} after={after.prizeValueYuan} show={yuan} />
        </Descriptions.Item>
        <Descriptions.Item label="积分支出上限">
          <Change before={before?.pointsLiability} after={after.pointsLiability} show={points} />
        </Descriptions.Item>
        <Descriptions.Item label="奖励份数上限">
          <Change before={before?.maxRewards} after={after.maxRewards} show={(n) => `${n.toLocaleString('zh-CN')} 份`} />
        </Descriptions.Item>
        <Descriptions.Item label="对照组">
          <Change before={before?.controlGroupPercent} after={after.controlGroupPercent} show={(n) => (n ? `${n}%` : '未设对照组')} />
        </Descriptions.Item>
        <Descriptions.Item label="目标客群" span={4}>
          {after.audience ? <Estimate expression={after.audience} /> : '全部客户'}
        </Descriptions.Item>
      </Descriptions>
      {after.prizes.length > 0 && (
        <Table<PrizeStake>
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={after.prizes}
          columns={[
            { title: '奖品', dataIndex: 'name' },
            { title: '类型', dataIndex: 'kindName' },
            {
              title: '中奖概率',
              align: 'right',
              render: (_, p) => <Change before={before ? (oddsBefore.get(p.code) ?? 0) : undefined} after={p.oddsPercent} show={(n) => `${n}%`} />,
            },
            { title: '数量', dataIndex: 'quantity', align: 'right', render: (q: number | null) => (q === null ? '不限（兜底）' : `${q.toLocaleString('zh-CN')} 份`) },
            { title: '单价', dataIndex: 'valueYuan', align: 'right', render: yuan },
            { title: '小计', dataIndex: 'totalYuan', align: 'right', render: yuan },
          ]}
        />
      )}
    </Card>
  );
}
