import { Alert, App, Button, Card, DatePicker, Input, Progress, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { auditActionNameZh, auditSubjectNamesZh } from '@shared/audit-names';
import type { AuditRecord } from '@shared/contracts/review';
import { staffRoleNamesZh, type StaffRole } from '@shared/roles';
import { deadLetterReasonNamesZh, deliverySinkNamesZh, type DeadLetter as DeadLetterRow, type DeliveryStatus, type DeliverySink } from '@shared/contracts/delivery';
import type { JobsReport } from '@shared/contracts/jobs';
import type { z } from 'zod';
import { Link } from 'react-router-dom';
import { call } from '@/api/client';
import { kindByAuditType } from '@/kinds';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { beijingTime } from '@/format';
import { useLoad } from '@/hooks/useLoad';
import { useWalk } from '@/hooks/useWalk';

type Sink = DeliveryStatus['sinks'][number];
/** A generated id (a UUID), as opposed to one a person chose (cust-demo-1, org-sh). */
const INTERNAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-/;
type DeadLetter = z.infer<typeof DeadLetterRow>;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

function AuditLog() {
  const [filters, setFilters] = useState<{ actorId?: string; action?: string; targetId?: string; range?: [Dayjs, Dayjs] | null }>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const page = useLoad(
    () =>
      call('listAuditRecords', {
        query: {
          actorId: filters.actorId,
          action: filters.action,
          targetId: filters.targetId,
          from: filters.range?.[0]?.format(),
          to: filters.range?.[1]?.format(),
          cursor: cursors.at(-1),
          limit: 20,
        },
      }),
    [filters, cursors],
  );
  const set = (next: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setCursors([]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder="操作人编号" onSearch={(v) => set({ actorId: v.trim() || undefined })} style={{ width: 180 }} />
        <Input.Search allowClear placeholder="动作，如 activity.approved" onSearch={(v) => set({ action: v.trim() || undefined })} style={{ width: 240 }} />
        <Input.Search allowClear placeholder="对象编号" onSearch={(v) => set({ targetId: v.trim() || undefined })} style={{ width: 220 }} />
        <DatePicker.RangePicker showTime onChange={(r) => set({ range: r as [Dayjs, Dayjs] | null })} />
      </Space>
      <PageState loading={page.loading && !page.data} error={page.error} onRetry={page.reload}>
        <Table<AuditRecord>
          rowKey="id"
          size="small"
          loading={page.loading}
          dataSource={page.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '没有符合条件的操作记录' }}
          expandable={{
            expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre>,
            rowExpandable: (r) => r.detail !== null,
          }}
          columns={[
            { title: '时间', dataIndex: 'at', render: beijingTime },
            { title: '操作人', render: (_, r) => `${r.actorId}（${staffRoleNamesZh[r.actorRole as StaffRole] ?? r.actorRole}）` },
            { title: '机构', dataIndex: 'orgUnitId' },
            { title: '动作', dataIndex: 'action', render: (a: string) => <span title={a}>{auditActionNameZh(a)}</span> },
            {
              title: '对象',
              render: (_, r) => {
                const kind = kindByAuditType(r.targetType);
                // A reviewed document's changes, field by field, are in its revision history.
                // An internal id tells the reader nothing: it is kept for copying (to search by it), not shown.
                const id = INTERNAL_ID.test(r.targetId) ? <Typography.Text copyable={{ text: r.targetId, tooltips: ['复制对象编号', '已复制'] }} /> : ` ${r.targetId}`;
                return kind ? (
                  <Link to={`/content/${kind.key}/${r.targetId}?tab=history`}>{kind.label}（查看变更）</Link>
                ) : (
                  <>
                    {auditSubjectNamesZh[r.targetType] ?? r.targetType}
                    {id}
                  </>
                );
              },
            },
            { title: '原因', dataIndex: 'reason' },
          ]}
        />
        <Space>
          <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
            上一页
          </Button>
          <Button disabled={!page.data?.nextCursor} onClick={() => setCursors((c) => [...c, page.data!.nextCursor!])}>
            下一页
          </Button>
        </Space>
      </PageState>
    </Space>
  );
}

function Delivery() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const status = useLoad(async () => {
    const s = await call('getDeliveryStatus');
    const dead = await Promise.all(s.sinks.map((k) => call('listDeadLetters', { query: { sink: k.sink } })));
    return { ...s, dead: dead.flatMap((d) => d.items) };
  }, []);
  const replay = (sink: Sink['sink'], ids?: string[]) =>
    modal.confirm({
      title: ids ? `重新投递选中的 ${ids.length} 条？` : `重新投递 ${sink} 的全部死信？`,
      content: '事件编号不变，银行端可按编号去重。',
      onOk: async () => {
        try {
          const r = await call('replayDeadLetters', { body: { sink, ...(ids ? { ids } : {}) } });
          message.success(`已重新排队 ${r.replayed} 条`);
          status.reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  return (
    <PageState loading={status.loading} error={status.error} onRetry={status.reload}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {status.data && status.data.publishing.intents > 0 && (
          <Alert type="info" showIcon message={`${status.data.publishing.intents} 批事件待编号入队（最早 ${beijingTime(status.data.publishing.oldestAt)}）`} />
        )}
        <Table<Sink>
          rowKey="sink"
          size="small"
          pagination={false}
          dataSource={status.data?.sinks ?? []}
          locale={{ emptyText: '未配置投递通道：设置 BANK_WEBHOOK_URL 或 BANK_EXPORT_DIR 后，事件将送往银行' }}
          columns={[
            { title: '投递通道', dataIndex: 'sink', render: (s: DeliverySink) => deliverySinkNamesZh[s] },
            {
              title: '通道状态',
              render: (_, s) =>
                s.circuit.state === 'open' ? (
                  <Tag color="red" title="连续失败，判定对端不可用：暂停计入重试次数，恢复后自动续投，不会进入死信">
                    熔断中（自 {beijingTime(s.circuit.since)}）
                  </Tag>
                ) : (
                  <Tag color={s.circuit.failuresInARow ? 'orange' : 'green'}>{s.circuit.failuresInARow ? `正常（连续失败 ${s.circuit.failuresInARow} 次）` : '正常'}</Tag>
                ),
            },
            { title: '待投递', dataIndex: 'pending' },
            { title: '延迟', dataIndex: 'lagSeconds', render: (s: number) => <Tag color={s > 300 ? 'red' : s > 60 ? 'orange' : 'green'}>{Math.round(s)} 秒</Tag> },
            { title: '近 1 小时投递', render: (_, s) => `${s.lastHour.delivered} 条 / ${s.lastHour.batches} 批（${s.lastHour.eventsPerSecond.toFixed(1)} 条/秒）` },
            { title: '近 1 小时重复', render: (_, s) => <span title="银行再次收到同一事件（失败重试或进程中断后重发），可按事件编号去重">{s.lastHour.duplicates} 条</span> },
            { title: '近 1 小时失败', render: (_, s) => `${s.lastHour.failedAttempts} 批` },
            {
              title: '死信',
              dataIndex: 'deadLetters',
              render: (n: number, s) =>
                n > 0 && can('ops.replay') ? (
                  <Button size="small" onClick={() => replay(s.sink)}>
                    全部重投（{n}）
                  </Button>
                ) : (
                  n
                ),
            },
            { title: '最近投递', dataIndex: 'lastDeliveredAt', render: beijingTime },
          ]}
        />
        <Card size="small" title="死信">
          <Table<DeadLetter>
            rowKey="id"
            size="small"
            dataSource={status.data?.dead ?? []}
            locale={{ emptyText: '没有死信：所有事件均已送达或在重试中' }}
            columns={[
              { title: '事件', dataIndex: 'name' },
              { title: '通道', dataIndex: 'sink', render: (s: DeliverySink) => deliverySinkNamesZh[s] },
              { title: '客户内序号', dataIndex: 'seq', render: (n: number | null) => n ?? '—' },
              { title: '原因', dataIndex: 'reason', render: (r: DeadLetter['reason']) => deadLetterReasonNamesZh[r] },
              { title: '尝试次数', dataIndex: 'attempts' },
              { title: '最后错误', dataIndex: 'lastError' },
              { title: '进入死信', dataIndex: 'deadAt', render: beijingTime },
              ...(can('ops.replay')
                ? [
                    {
                      title: '操作',
                      render: (_: unknown, d: DeadLetter) =>
                        d.reason === 'personal_data' ? (
                          '—'
                        ) : (
                          <Button size="small" onClick={() => replay(d.sink, [d.id])}>
                            重投
                          </Button>
                        ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
        <DeliveryBooks />
      </Space>
    </PageState>
  );
}

/** One day's books: every event kept that day, per channel, in exactly one of waiting, delivered or dead-lettered. */
function DeliveryBooks() {
  const [day, setDay] = useState(today());
  const books = useLoad(() => call('checkDeliveryInvariants', { query: { day } }), [day]);
  return (
    <Card
      size="small"
      title="投递核对（按保留日）"
      extra={
        <Space>
          <DatePicker allowClear={false} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} placeholder={day} />
          <Button size="small" onClick={books.reload}>
            重新核对
          </Button>
        </Space>
      }
    >
      <PageState loading={books.loading && !books.data} error={books.error} onRetry={books.reload}>
        {books.data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {books.data.consistent ? (
              <Alert type="success" showIcon message={`${books.data.day} 保留的事件均在「待投递 / 已投递 / 死信」之一，无缺口`} />
            ) : (
              <Alert type="error" showIcon message={`${books.data.day} 有事件不在任何状态：系统每 10 分钟自动重新入队，也可稍后重新核对`} />
            )}
            <Table
              rowKey="sink"
              size="small"
              pagination={false}
              dataSource={books.data.sinks}
              columns={[
                { title: '通道', dataIndex: 'sink', render: (s: DeliverySink) => deliverySinkNamesZh[s] },
                { title: '当日保留', dataIndex: 'kept' },
                { title: '待投递', dataIndex: 'waiting' },
                { title: '已投递', dataIndex: 'delivered' },
                { title: '死信', dataIndex: 'deadLetters' },
                {
                  title: '缺口',
                  dataIndex: 'missing',
                  render: (n: number, s) =>
                    n ? (
                      <Tag color="red" title={s.gaps.join('\n')}>
                        {n}
                      </Tag>
                    ) : (
                      0
                    ),
                },
                { title: '已投递未出队', dataIndex: 'inTwoStates' },
              ]}
            />
          </Space>
        )}
      </PageState>
    </Card>
  );
}

function Violations({ found, complete }: { found: string[]; complete: boolean }) {
  return (
    <Alert
      type="error"
      showIcon
      message={`发现 ${found.length} 项不一致${complete ? '' : '（核对尚未完成，可能还有更多）'}`}
      description={
        <ul>
          {found.map((v) => (
            <li key={v}>{v}</li>
          ))}
        </ul>
      }
    />
  );
}

/** Points and budgets: each call checks what changed since the last check, one pass; the maintenance job goes on with the rest. */
function PointsBooks() {
  const books = useLoad(() => call('checkInvariants'), []);
  const data = books.data;
  return (
    <Card
      size="small"
      title="积分与预算"
      extra={
        <Button size="small" onClick={books.reload} disabled={books.loading}>
          {data && !data.upToDate ? '继续核对' : '重新核对'}
        </Button>
      }
    >
      <PageState loading={books.loading} error={books.error} onRetry={books.reload}>
        {data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {data.violations.length > 0 && <Violations found={data.violations} complete={data.upToDate} />}
            {!data.upToDate && (
              <Alert
                type="warning"
                showIcon
                message={`核对未完成：本次核对 ${data.checked.customers} 个账户、${data.checked.activities} 个预算，尚有变动未核对`}
                description="后台任务每 10 分钟继续核对；也可点击“继续核对”立即核对下一批。"
              />
            )}
            {data.upToDate && data.violations.length === 0 && (
              <Alert type="success" showIcon message={`核对通过，未发现不一致（本次核对 ${data.checked.customers} 个账户、${data.checked.activities} 个预算）`} />
            )}
          </Space>
        )}
      </PageState>
    </Card>
  );
}

const mallBooksPage = (cursor: string | undefined) => call('checkMallInvariants', { query: { cursor } });

/** The mall's books, walked page by page to the end: only a walk that reached its last page may say they agree. */
function MallBooks() {
  const walk = useWalk(mallBooksPage);
  const total = walk.pages[0]?.total ?? null;
  const sum = (k: 'orders' | 'items') => walk.pages.reduce((n, p) => n + p.checked[k], 0);
  const [orders, items] = [sum('orders'), sum('items')];
  const found = walk.pages.flatMap((p) => p.violations);
  const progress = total ? `已核对订单 ${orders} / 共 ${total.orders} 笔，商品 ${items} / 共 ${total.items} 个` : '正在开始核对';
  // Orders placed while the check runs are counted in neither total: the bar stops short of 100% until the last page.
  const percent = walk.complete ? 100 : total ? Math.min(99, Math.floor(((orders + items) / Math.max(1, total.orders + total.items)) * 100)) : 0;
  return (
    <Card
      size="small"
      title="商城库存与券码"
      extra={
        <Button size="small" onClick={walk.restart} disabled={walk.running}>
          重新核对
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Progress percent={percent} status={walk.error ? 'exception' : walk.complete ? 'success' : 'active'} aria-label={progress} />
        <Typography.Text type="secondary">{progress}</Typography.Text>
        {found.length > 0 && <Violations found={found} complete={walk.complete} />}
        {walk.error !== null && (
          <Alert
            type="warning"
            showIcon
            message={`核对未完成：${progress}时出错，未核对的部分尚无结论`}
            description={errorText(walk.error)}
            action={
              <Button size="small" onClick={walk.resume}>
                继续核对
              </Button>
            }
          />
        )}
        {walk.complete && found.length === 0 && <Alert type="success" showIcon message={`核对通过，未发现不一致（共核对订单 ${orders} 笔、商品 ${items} 个）`} />}
      </Space>
    </Card>
  );
}

function Invariants() {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <PointsBooks />
      <MallBooks />
    </Space>
  );
}

/** Periodic work: each job's last outcome, and the items a job keeps failing on (parked after five in a row). */
function Jobs() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const report = useLoad(() => call('getJobsReport'), []);
  const release = (job: string, key: string) =>
    modal.confirm({
      title: `解除搁置：${key}？`,
      content: '请先排除导致失败的原因。解除后，该条目将在下一轮重新处理。',
      onOk: async () => {
        try {
          await call('releaseJobItem', { body: { job, key } });
          message.success('已解除，下一轮重新处理');
          report.reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  return (
    <PageState loading={report.loading && !report.data} error={report.error} onRetry={report.reload}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {report.data && report.data.items.length > 0 && (
          <Card size="small" title="处理失败的条目">
            <Table
              rowKey={(i) => `${i.job}|${i.key}`}
              size="small"
              pagination={false}
              dataSource={report.data.items}
              columns={[
                { title: '任务', dataIndex: 'job' },
                { title: '条目', dataIndex: 'key' },
                { title: '连续失败', dataIndex: 'failures' },
                { title: '状态', dataIndex: 'parked', render: (p: boolean) => (p ? <Tag color="red">已搁置</Tag> : <Tag color="orange">重试中</Tag>) },
                { title: '最后错误', dataIndex: 'lastError' },
                { title: '最近失败', dataIndex: 'lastFailedAt', render: beijingTime },
                ...(can('ops.replay')
                  ? [
                      {
                        title: '操作',
                        render: (_: unknown, i: JobsReport['items'][number]) =>
                          i.parked ? (
                            <Button size="small" onClick={() => release(i.job, i.key)}>
                              解除搁置
                            </Button>
                          ) : (
                            '—'
                          ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        )}
        <Table
          rowKey="name"
          size="small"
          pagination={false}
          dataSource={report.data?.jobs ?? []}
          locale={{ emptyText: '后台任务尚未运行' }}
          columns={[
            { title: '任务', dataIndex: 'name' },
            { title: '最近运行', dataIndex: 'lastRunAt', render: beijingTime },
            { title: '状态', render: (_, j) => (j.failuresInARow ? <Tag color="red">连续失败 {j.failuresInARow} 次</Tag> : <Tag color="green">正常</Tag>) },
            { title: '最近成功', dataIndex: 'lastOkAt', render: beijingTime },
            { title: '累计失败', dataIndex: 'failures' },
            { title: '最后错误', dataIndex: 'lastError', render: (e: string | null) => e ?? '—' },
          ]}
        />
      </Space>
    </PageState>
  );
}

export default function Operations() {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        运行监控
      </Typography.Title>
      <Tabs
        items={[
          { key: 'audit', label: '操作留痕', children: <AuditLog /> },
          { key: 'delivery', label: '事件投递', children: <Delivery /> },
          { key: 'invariants', label: '账实核对', children: <Invariants /> },
          { key: 'jobs', label: '后台任务', children: <Jobs /> },
        ]}
      />
    </Space>
  );
}
