import { Alert, App, Button, Card, Cascader, DatePicker, Progress, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { auditActionNameZh, auditSubjectNamesZh, auditVerbNamesZh } from '@shared/audit-names';
import type { AuditRecord } from '@shared/contracts/review';
import { staffRoleNamesZh, type StaffRole } from '@shared/roles';
import { deadLetterReasonNamesZh, deliverySinkNamesZh, type DeadLetter as DeadLetterRow, type DeliveryStatus, type DeliverySink } from '@shared/contracts/delivery';
import type { JobsReport } from '@shared/contracts/jobs';
import { jobNameZh } from '@shared/job-names';
import type { z } from 'zod';
import { Link } from 'react-router-dom';
import { call } from '@/api/client';
import { kindByAuditType, KINDS, type ReviewedKind } from '@/kinds';
import { labelOf } from '@/forms/labels';
import { ReferenceSelect } from '@/forms/ReferenceSelect';
import { useDirectory } from '@/hooks/useDirectory';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { BANK_TZ, beijingTime } from '@/format';
import { useLoad } from '@/hooks/useLoad';
import { useWalk, type Walk } from '@/hooks/useWalk';

type Sink = DeliveryStatus['sinks'][number];
/** A generated id (a UUID), as opposed to one a person chose (cust-demo-1, org-sh). */
const INTERNAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-/;
type DeadLetter = z.infer<typeof DeadLetterRow>;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The audit trail's filter: who, what (subject and verb, in Chinese), which document, which days. */
type AuditFilter = { actorId?: string; action?: string; targetId?: string; days?: [Dayjs, Dayjs] | null };

/** The actions by their subject, each subject's verbs: what the 动作 filter offers (an action is `<subject>.<verb>`). */
const ACTION_OPTIONS = Object.entries(auditSubjectNamesZh).map(([subject, label]) => ({
  value: subject,
  label,
  children: Object.entries(auditVerbNamesZh).map(([verb, name]) => ({ value: verb, label: name })),
}));

/** A record's detail as label: value lines, in the words the forms use. */
const detailText = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .map(([key, value]) => `${labelOf(key)}：${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');

function AuditLog() {
  const names = useDirectory();
  const [filters, setFilters] = useState<AuditFilter>({});
  const [kind, setKind] = useState<ReviewedKind['key']>('activities');
  const [cursors, setCursors] = useState<string[]>([]);
  const page = useLoad(
    () =>
      call('listAuditRecords', {
        query: {
          actorId: filters.actorId,
          action: filters.action,
          targetId: filters.targetId,
          // Whole days in Beijing time: from the first day's start to the last day's end.
          from: filters.days?.[0]?.tz(BANK_TZ, true).startOf('day').format(),
          to: filters.days?.[1]?.tz(BANK_TZ, true).add(1, 'day').startOf('day').format(),
          cursor: cursors.at(-1),
          limit: 20,
        },
      }),
    [filters, cursors],
  );
  const set = (next: Partial<AuditFilter>) => {
    setFilters((f) => ({ ...f, ...next }));
    setCursors([]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="操作人"
          aria-label="操作人"
          style={{ width: 240 }}
          onChange={(v: string | undefined) => set({ actorId: v })}
          options={(names?.staff ?? []).map((m) => ({ value: m.id, label: `${m.maskedName}（${staffRoleNamesZh[m.role]} · ${names!.orgName(m.orgUnitId)}）` }))}
        />
        <Cascader
          allowClear
          showSearch
          placeholder="动作，如 活动 / 审核通过"
          aria-label="动作"
          style={{ width: 240 }}
          options={ACTION_OPTIONS}
          onChange={(v) => set({ action: v?.length === 2 ? `${v[0]}.${v[1]}` : undefined })}
        />
        <Space.Compact>
          <Select<ReviewedKind['key']>
            value={kind}
            onChange={setKind}
            style={{ width: 130 }}
            aria-label="对象类别"
            options={KINDS.map((k) => ({ value: k.key, label: k.label }))}
          />
          <div style={{ width: 280 }}>
            <ReferenceSelect key={kind} reference={{ kind, by: 'id' }} multiple={false} value={filters.targetId} onChange={(v) => set({ targetId: v as string | undefined })} />
          </div>
        </Space.Compact>
        <DatePicker.RangePicker aria-label="日期" placeholder={['开始日期', '结束日期']} onChange={(r) => set({ days: r as [Dayjs, Dayjs] | null })} />
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
            expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{detailText(r.detail ?? {})}</pre>,
            rowExpandable: (r) => r.detail !== null,
          }}
          columns={[
            { title: '时间', dataIndex: 'at', render: beijingTime },
            { title: '操作人', render: (_, r) => `${names?.staffName(r.actorId) ?? ''}（${staffRoleNamesZh[r.actorRole as StaffRole] ?? r.actorRole}）` },
            { title: '机构', dataIndex: 'orgUnitId', render: (id: string | null) => (id ? (names?.orgName(id) ?? '') : '—') },
            { title: '动作', dataIndex: 'action', render: (a: string) => auditActionNameZh(a) },
            {
              title: '对象',
              render: (_, r) => {
                const target = kindByAuditType(r.targetType);
                // A reviewed document's changes, field by field, are in its revision history.
                // An internal id tells the reader nothing: it is kept for copying (to search by it), not shown.
                const id = INTERNAL_ID.test(r.targetId) ? <Typography.Text copyable={{ text: r.targetId, tooltips: ['复制对象编号', '已复制'] }} /> : ` ${r.targetId}`;
                return target ? (
                  <Link to={`/content/${target.key}/${r.targetId}?tab=history`}>{target.label}（查看变更）</Link>
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
  const status = useLoad(() => call('getDeliveryStatus'), []);
  const replay = (sink: Sink['sink'], ids?: string[]) =>
    modal.confirm({
      title: ids ? `重新投递选中的 ${ids.length} 条？` : `重新投递${deliverySinkNamesZh[sink]}的全部死信？`,
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
        {/* Each channel's dead letters walked to the last page: a list cut short would hide what needs replaying. */}
        {status.data?.sinks.map((s) => (
          <DeadLetters key={s.sink} sink={s.sink} onReplay={replay} />
        ))}
        <DeliveryBooks />
      </Space>
    </PageState>
  );
}

/** One channel's dead letters, every page of them, with how many are listed so far. */
function DeadLetters({ sink, onReplay }: { sink: DeliverySink; onReplay: (sink: DeliverySink, ids?: string[]) => void }) {
  const { can } = useSession();
  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const page = await call('listDeadLetters', { query: { sink, limit: 200, cursor } });
      return { ...page, next: page.nextCursor, complete: page.nextCursor === null };
    },
    [sink],
  );
  const walk = useWalk(fetchPage);
  const items = walk.pages.flatMap((p) => p.items);
  const total = walk.pages[walk.pages.length - 1]?.total;
  return (
    <Card
      size="small"
      title={`死信 · ${deliverySinkNamesZh[sink]}`}
      extra={
        <Typography.Text type="secondary">
          {walk.running && <Spin size="small" style={{ marginRight: 8 }} />}
          {total === undefined ? '正在加载' : `已加载 ${items.length} / 共 ${total} 条`}
        </Typography.Text>
      }
    >
      {walk.error !== null && (
        <Alert
          type="warning"
          showIcon
          message={`死信未加载完：已加载 ${items.length} 条时出错`}
          description={errorText(walk.error)}
          action={
            <Button size="small" onClick={walk.resume}>
              继续加载
            </Button>
          }
        />
      )}
      <Table<DeadLetter>
        rowKey="id"
        size="small"
        dataSource={items}
        locale={{ emptyText: walk.running ? '正在加载' : '没有死信：所有事件均已送达或在重试中' }}
        columns={[
          { title: '事件', dataIndex: 'name' },
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
                      <Button size="small" onClick={() => onReplay(d.sink, [d.id])}>
                        重投
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Card>
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

/**
 * What a walked check concluded: its violations, where it stopped and how to go on, and a pass only
 * for a walk that reached its end having checked something.
 */
function CheckOutcome({
  walk,
  found,
  progress,
  checked,
  passed,
  nothing,
}: {
  walk: Walk<{ next: string | null; complete: boolean }>;
  found: string[];
  progress: string;
  checked: number;
  passed: string;
  nothing: string;
}) {
  return (
    <>
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
      {walk.complete && found.length === 0 && (checked > 0 ? <Alert type="success" showIcon message={passed} /> : <Alert type="info" showIcon message={nothing} />)}
    </>
  );
}

/** One pass of the points check: what changed since the last pass; the walk goes on until nothing is left. */
const pointsBooksPage = async () => {
  const report = await call('checkInvariants');
  return { ...report, next: null, complete: report.upToDate };
};

/** Points and budgets, checked pass after pass until up to date: a check that looked at nothing is no pass. */
function PointsBooks() {
  const walk = useWalk(pointsBooksPage);
  const customers = walk.pages.reduce((n, p) => n + p.checked.customers, 0);
  const activities = walk.pages.reduce((n, p) => n + p.checked.activities, 0);
  // Every pass answers with all violations any check has stored: the latest pass has them all.
  const found = walk.pages[walk.pages.length - 1]?.violations ?? [];
  const progress = `已核对 ${customers} 个账户、${activities} 个预算${walk.complete ? '' : '，尚有变动未核对'}`;
  return (
    <Card
      size="small"
      title="积分与预算"
      extra={
        <Button size="small" onClick={walk.restart} disabled={walk.running}>
          重新核对
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {walk.running && <Spin size="small" style={{ marginRight: 8 }} />}
          {progress}
        </Typography.Text>
        <CheckOutcome
          walk={walk}
          found={found}
          progress={progress}
          checked={customers + activities}
          passed={`核对通过，未发现不一致（本次核对 ${customers} 个账户、${activities} 个预算）`}
          nothing="没有可核对的数据：自上次核对以来没有账户或预算变动，本次未核对任何账户，不作通过结论（后台任务每 10 分钟核对有变动的账户与预算）"
        />
      </Space>
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
        <CheckOutcome
          walk={walk}
          found={found}
          progress={progress}
          checked={orders + items}
          passed={`核对通过，未发现不一致（共核对订单 ${orders} 笔、商品 ${items} 个）`}
          nothing="没有可核对的数据：尚无订单和商品，不作通过结论"
        />
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

/** A job by its business name, with its name in the books beneath (what the logs and the runbook use). */
function JobName({ name }: { name: string }) {
  const label = jobNameZh(name);
  if (!label) return <>{name}</>;
  return (
    <Space direction="vertical" size={0}>
      {label}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {name}
      </Typography.Text>
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
                { title: '任务', dataIndex: 'job', render: (job: string) => <JobName name={job} /> },
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
            { title: '任务', dataIndex: 'name', render: (name: string) => <JobName name={name} /> },
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
