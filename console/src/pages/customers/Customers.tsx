import { Alert, App, Button, Card, Input, InputNumber, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { CustomerTagUploadResult } from '../../../../shared/contracts/targeting';
import { api, ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { errorText, PageState } from '../../components/PageState';
import { confirmWithReason } from '../../components/ReasonPrompt';
import { useLoad } from '../../hooks/useLoad';

type Node = { customerId: string; name: string; depth: number; channel: string | null; activityId: string | null; managerId: string | null; at: string };
type Tree = { customerId: string; ancestors: Node[]; descendants: Node[]; truncated: boolean };

function TagUpload() {
  const { message } = App.useApp();
  const [report, setReport] = useState<CustomerTagUploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">上传客户标签与名单（JSON：数组或 {'{ "items": [...] }'}，每行以 customerId 或 customerNo 标识客户）。客户以内部编号标识，不含姓名、手机号等个人信息。</Typography.Paragraph>
      <Upload.Dragger accept=".json" showUploadList={false} beforeUpload={async (f) => {
        setError(null);
        setReport(null);
        try {
          const json = JSON.parse(await f.text()) as unknown;
          const items = Array.isArray(json) ? json : (json as { items?: unknown[] }).items;
          const result = await api.post<CustomerTagUploadResult>('/admin/customer-tags', { items });
          setReport(result);
          message.success('标签已更新');
        } catch (err) {
          setError(err instanceof ApiError ? `${errorText(err)}${err.issues.length ? `：${err.issues.slice(0, 10).map((i) => `${i.path} ${i.message}`).join('；')}` : ''}` : '文件不是有效的 JSON');
        }
        return false;
      }}>
        <p>点击或拖入标签文件</p>
      </Upload.Dragger>
      {error && <Alert type="error" showIcon message={error} />}
      {report && (
        <Card size="small" title="上传报告">
          <Space><Tag color="green">已更新 {report.applied}</Tag><Tag>无变化 {report.unchanged}</Tag><Tag color={report.unknown.length ? 'red' : 'default'}>未找到客户 {report.unknown.length}</Tag></Space>
          {report.unknown.length > 0 && <Table size="small" rowKey="row" pagination={{ pageSize: 10 }} dataSource={report.unknown} columns={[{ title: '行', dataIndex: 'row' }, { title: '客户标识', dataIndex: 'key' }]} />}
        </Card>
      )}
    </Space>
  );
}

function Lookup() {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const tree = useLoad(() => (customerId ? api.get<Tree>(`/admin/customers/${encodeURIComponent(customerId)}/referral-tree?depth=3`) : Promise.resolve(null)), [customerId]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search placeholder="客户编号，如 cust-demo-1" enterButton="查询" style={{ width: 360 }} onSearch={(v) => setCustomerId(v.trim() || null)} />
      {customerId && (
        <PageState loading={tree.loading} error={tree.error} onRetry={tree.reload}>
          {tree.data && (
            <Space direction="vertical" style={{ width: '100%' }}>
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
                    { title: '时间', dataIndex: 'at', render: (t: string) => new Date(t).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) },
                  ]}
                />
                {tree.data.truncated && <Alert type="info" message="关系较多，仅显示前 3 级" />}
              </Card>
              {can('customers.edit') && (
                <Card size="small" title="人工积分调整（须审核员审批后生效）">
                  <Space>
                    <InputNumber value={amount} onChange={setAmount} precision={0} placeholder="如 100 或 -50" style={{ width: 200 }} />
                    <Button disabled={!amount} onClick={() => confirmWithReason(modal, { title: `为客户 ${customerId} 申请调整 ${amount! > 0 ? '+' : ''}${amount} 积分？`, okText: '提交申请', placeholder: '调整原因（必填，如客诉补偿单号）', run: async (reason) => { try { await api.post('/admin/points/adjustments', { customerId, amount, reason }); message.success('已提交，待审核员审批'); setAmount(null); } catch (err) { message.error(errorText(err)); } } })}>提交申请</Button>
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
      <Typography.Title level={4} style={{ margin: 0 }}>客户服务</Typography.Title>
      <Tabs items={[
        { key: 'lookup', label: '客户查询', children: <Lookup /> },
        ...(can('customers.edit') ? [{ key: 'tags', label: '标签与名单上传', children: <TagUpload /> }] : []),
      ]} />
    </Space>
  );
}
