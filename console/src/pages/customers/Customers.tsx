import { Alert, App, Button, Card, Descriptions, Input, InputNumber, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { Api, ResponseOf } from '@shared/api';
import { customerLookupNamesZh, type CustomerMatch } from '@shared/contracts/customer-service';
import type { CustomerTagUpload, CustomerTagUploadResult } from '@shared/contracts/targeting';
import { ApiError, call, callReporting } from '@/api/client';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { confirmWithReason } from '@/components/ReasonPrompt';
import { UploadProgress } from '@/components/UploadProgress';
import { useLoad } from '@/hooks/useLoad';
import { beijingTime } from '@/format';

type Node = ResponseOf<Api['getReferralTree']>['ancestors'][number];
type Overview = ResponseOf<Api['getCustomerOverview']>;

/** The customer as the service desk sees them: masked, the latest of each, the lookup itself audited. */
function Profile({ data }: { data: Overview }) {
  const p = data.profile;
  return (
    <Card size="small" title="客户资料（已脱敏）">
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label="客户号">{p.customerNo}</Descriptions.Item>
        <Descriptions.Item label="姓名">{p.maskedName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="手机号">{p.maskedPhone ?? '未绑定'}</Descriptions.Item>
        <Descriptions.Item label="等级">{p.tier ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="个性化营销">{p.personalized ? '开启' : '已关闭'}</Descriptions.Item>
        <Descriptions.Item label="注册时间">{beijingTime(p.memberSince)}</Descriptions.Item>
        <Descriptions.Item label="积分余额">{data.points.balance}</Descriptions.Item>
        <Descriptions.Item label="30 天内过期">{data.points.expiringSoon.amount}</Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'ledger',
            label: '积分明细',
            children: (
              <Table
                size="small"
                rowKey="seq"
                pagination={false}
                dataSource={data.ledger.items}
                locale={{ emptyText: '暂无积分变动' }}
                columns={[
                  { title: '时间', dataIndex: 'at', render: beijingTime },
                  { title: '说明', dataIndex: 'description' },
                  { title: '变动', dataIndex: 'amount', render: (a: number) => (a > 0 ? `+${a}` : a) },
                  { title: '余额', dataIndex: 'balance' },
                ]}
              />
            ),
          },
          {
            key: 'orders',
            label: '兑换订单',
            children: (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={data.orders.items}
                locale={{ emptyText: '暂无订单' }}
                columns={[
                  { title: '时间', dataIndex: 'createdAt', render: beijingTime },
                  { title: '商品', dataIndex: 'title' },
                  { title: '积分', dataIndex: 'pricePoints' },
                  { title: '状态', dataIndex: 'statusName' },
                ]}
              />
            ),
          },
          {
            key: 'prizes',
            label: '奖品',
            children: (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={data.prizes.items}
                locale={{ emptyText: '暂无奖品' }}
                columns={[
                  { title: '发放时间', dataIndex: 'grantedAt', render: beijingTime },
                  { title: '奖品', dataIndex: 'name' },
                  { title: '来源', dataIndex: 'description' },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** `body.items.3.tier` as the person who made the file counts it: the 4th record, column tier. */
function rowIssue(issue: { path: string; message: string }): string {
  const row = /^body\.items\.(\d+)\.?(.*)$/.exec(issue.path);
  return row ? `第 ${Number(row[1]) + 1} 条${row[2] ? `（${row[2]}）` : ''} ${issue.message}` : `${issue.path} ${issue.message}`;
}

type TagFile = { format: 'csv'; text: string } | { format: 'json'; items: z.input<typeof CustomerTagUpload>['items'] };

/** A tag file as the endpoints take it; the rows go as the file has them: the BFF checks each and reports every bad one. */
function tagFileOf(name: string, text: string): TagFile {
  if (name.toLowerCase().endsWith('.csv')) return { format: 'csv', text };
  const json = JSON.parse(text) as unknown;
  return { format: 'json', items: (Array.isArray(json) ? json : (json as { items?: unknown[] }).items) as z.input<typeof CustomerTagUpload>['items'] };
}

/**
 * Tags and lists from the bank, in two steps like content uploads: the BFF checks the file and says what it would
 * change (a dry run, nothing saved), then the upload is confirmed.
 */
function TagUpload() {
  const { message } = App.useApp();
  const [file, setFile] = useState<{ name: string; body: TagFile } | null>(null);
  const [report, setReport] = useState<CustomerTagUploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);

  async function send(body: TagFile, dryRun: boolean) {
    setError(null);
    setSent(0);
    try {
      const query = { dryRun: dryRun ? 'true' : 'false' } as const;
      const result =
        body.format === 'csv'
          ? await callReporting(setSent)('uploadCustomerTagsCsv', { query, body: body.text })
          : await callReporting(setSent)('uploadCustomerTags', { query, body: { items: body.items } });
      setReport(result);
      if (!dryRun) message.success('标签已更新');
    } catch (err) {
      setReport(null);
      setError(err instanceof ApiError ? `${errorText(err)}${err.issues.length ? `：${err.issues.slice(0, 10).map(rowIssue).join('；')}` : ''}` : '文件不是有效的 JSON');
    }
    setSent(null);
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">
        上传客户标签与名单：CSV（首行为列名 customerId、openid 或 phoneHash 之一，及 tier、risk、funds、interests、tags、lists；多个值以 | 分隔）或 JSON（数组或{' '}
        {'{ "items": [...] }'}）。客户以内部编号、openid 或手机号哈希标识，文件不含姓名、手机号等个人信息。先核对文件，确认后才会更新。
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".csv,.json"
        showUploadList={false}
        beforeUpload={async (f) => {
          setReport(null);
          try {
            const body = tagFileOf(f.name, await f.text());
            setFile({ name: f.name, body });
            await send(body, true);
          } catch {
            setFile(null);
            setError('文件不是有效的 JSON');
          }
          return false;
        }}
      >
        <p>点击或拖入标签文件</p>
      </Upload.Dragger>
      {sent !== null && <UploadProgress sent={sent} working={report?.dryRun === false ? '更新客户标签中…' : '核对文件中…'} />}
      {error && <Alert type="error" showIcon message={error} />}
      {report && (
        <Card size="small" title={report.dryRun ? `核对结果：${file?.name ?? ''}（尚未更新）` : '上传报告'}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Tag color="green">
                {report.dryRun ? '将更新' : '已更新'} {report.applied}
              </Tag>
              <Tag>无变化 {report.unchanged}</Tag>
              <Tag color={report.unknown.length ? 'red' : 'default'}>未找到客户 {report.unknown.length}</Tag>
            </Space>
            {report.unknown.length > 0 && (
              <Table
                size="small"
                rowKey="row"
                pagination={{ pageSize: 10 }}
                dataSource={report.unknown}
                columns={[
                  { title: '记录', dataIndex: 'row', render: (row: number) => `第 ${row + 1} 条` },
                  { title: '客户标识', dataIndex: 'key' },
                ]}
              />
            )}
            {report.dryRun && file && (
              <Button type="primary" disabled={report.applied === 0} onClick={() => void send(file.body, false)}>
                {report.applied ? `确认更新 ${report.applied} 位客户` : '没有需要更新的客户'}
              </Button>
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}

/** Finds customers by phone, 客户号 or nickname (masked, in the caller's subtree only); one match opens at once. */
function Search({ onOpen }: { onOpen: (customerId: string | null) => void }) {
  const [q, setQ] = useState<string | null>(null);
  const found = useLoad(async () => (q ? call('searchCustomers', { query: { q } }) : null), [q]);
  const { data } = found;
  useEffect(() => onOpen(data?.items.length === 1 ? data.items[0].id : null), [data, onOpen]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search placeholder="手机号、客户号或昵称" aria-label="查找客户" enterButton="查询" allowClear style={{ width: 360 }} onSearch={(v) => setQ(v.trim() || null)} />
      {q && (
        <PageState loading={found.loading} error={found.error} onRetry={found.reload}>
          {found.data &&
            (found.data.items.length === 0 ? (
              <Alert type="info" showIcon message={`没有按${customerLookupNamesZh[found.data.by]}找到本机构及下级机构的客户`} />
            ) : (
              found.data.items.length > 1 && (
                <Table<CustomerMatch>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  aria-label="查找结果"
                  dataSource={found.data.items}
                  columns={[
                    { title: '客户号', dataIndex: 'customerNo' },
                    { title: '姓名', dataIndex: 'maskedName', render: (v: string | null) => v ?? '—' },
                    { title: '手机号', dataIndex: 'maskedPhone', render: (v: string | null) => v ?? '未绑定' },
                    { title: '昵称', dataIndex: 'maskedNickname', render: (v: string | null) => v ?? '—' },
                    { title: '所属机构', dataIndex: 'orgUnitName', render: (v: string | null) => v ?? '总行' },
                    {
                      title: '操作',
                      render: (_, c) => (
                        <Button size="small" onClick={() => onOpen(c.id)}>
                          查看
                        </Button>
                      ),
                    },
                  ]}
                />
              )
            ))}
        </PageState>
      )}
    </Space>
  );
}

function Lookup() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const tree = useLoad(async () => {
    if (!customerId) return null;
    const params = { id: customerId };
    const [overview, referral] = await Promise.all([call('getCustomerOverview', { params }), call('getReferralTree', { params, query: { depth: 3 } })]);
    return { overview, ...referral };
  }, [customerId]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Search onOpen={setCustomerId} />
      {customerId && (
        <PageState loading={tree.loading} error={tree.error} onRetry={tree.reload}>
          {tree.data && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Profile data={tree.data.overview} />
              <Card size="small" title="推荐关系（姓名已脱敏）">
                <Table<Node>
                  size="small"
                  rowKey={(n) => `${n.depth}:${n.customerId}`}
                  pagination={false}
                  dataSource={[...tree.data.ancestors].reverse().concat(tree.data.descendants)}
                  locale={{ emptyText: '没有推荐关系：该客户自行进入，也未邀请他人' }}
                  columns={[
                    { title: '关系', dataIndex: 'depth', render: (d: number) => (d < 0 ? `上 ${-d} 级（推荐人）` : `下 ${d} 级（被邀请）`) },
                    { title: '客户', render: (_, n) => `${n.name}（${n.customerId}）` },
                    { title: '渠道', dataIndex: 'channel', render: (c: string | null) => c ?? '自然进入' },
                    { title: '客户经理', dataIndex: 'managerId' },
                    { title: '时间', dataIndex: 'at', render: beijingTime },
                  ]}
                />
                {tree.data.truncated && <Alert type="info" message="关系较多，仅显示前 3 级" />}
              </Card>
              {can('customers.edit') && (
                <Card size="small" title="人工积分调整（须审核员审批后生效）">
                  <Space>
                    <InputNumber value={amount} onChange={setAmount} precision={0} placeholder="如 100 或 -50" style={{ width: 200 }} />
                    <Button
                      disabled={!amount}
                      onClick={() =>
                        confirmWithReason(modal, {
                          title: `为客户 ${customerId} 申请调整 ${amount! > 0 ? '+' : ''}${amount} 积分？`,
                          okText: '提交申请',
                          placeholder: '调整原因（必填，如客诉补偿单号）',
                          run: async (reason) => {
                            try {
                              await call('requestPointsAdjustment', { body: { customerId: customerId!, amount: amount!, reason } });
                              message.success('已提交，待审核员审批');
                              setAmount(null);
                            } catch (err) {
                              message.error(errorText(err));
                            }
                          },
                        })
                      }
                    >
                      提交申请
                    </Button>
                  </Space>
                </Card>
              )}
            </Space>
          )}
        </PageState>
      )}
    </Space>
  );
}

export default function Customers() {
  const { can } = useSession();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        客户服务
      </Typography.Title>
      <Tabs
        items={[{ key: 'lookup', label: '客户查询', children: <Lookup /> }, ...(can('customers.edit') ? [{ key: 'tags', label: '标签与名单上传', children: <TagUpload /> }] : [])]}
      />
    </Space>
  );
}
