import { App, Badge, Button, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { call } from '@/api/client';
import { useSession } from '@/auth/session';
import { errorText, PageState } from '@/components/PageState';
import { confirmWithReason } from '@/components/ReasonPrompt';
import { beijingTime } from '@/format';
import { useLoad } from '@/hooks/useLoad';
import { KINDS, titleOf, type AdminDoc } from '@/kinds';
import { APPROVAL_KINDS, type ApprovalKind, type ApprovalRequest } from './approvals';

type Row = AdminDoc & { kindKey: string; kindLabel: string };

/** Everything awaiting a decision in the caller's subtree: documents first (new ones and edits of live ones), then requests. */
function useQueue() {
  return useLoad(async () => {
    const pages = await Promise.all(
      KINDS.map((k) =>
        call(k.operations.list, { query: { workingState: 'pending_review', pageSize: 200 } }).then((p) => p.items.map((d): Row => ({ ...d, kindKey: k.key, kindLabel: k.label }))),
      ),
    );
    return pages.flat();
  }, []);
}

function Requests({ kind }: { kind: ApprovalKind }) {
  const { profile } = useSession();
  const { message, modal } = App.useApp();
  const list = useLoad((): Promise<ApprovalRequest[]> => call(kind.operations.pending).then((r) => r.items), [kind]);
  const decide = (r: ApprovalRequest, approve: boolean) =>
    confirmWithReason(modal, {
      title: approve ? `确认通过该${kind.label}？` : `驳回该${kind.label}`,
      placeholder: approve ? '审核意见（选填）' : '驳回原因（必填）',
      optional: approve,
      okText: approve ? '通过' : '驳回',
      danger: !approve,
      run: async (reason) => {
        try {
          const params = { id: r.id };
          await (approve ? call(kind.operations.approve, { params, body: reason ? { reason } : {} }) : call(kind.operations.reject, { params, body: { reason } }));
          message.success(approve ? '已通过' : '已驳回');
          list.reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  return (
    <PageState loading={list.loading} error={list.error} onRetry={list.reload}>
      <Table<ApprovalRequest>
        rowKey="id"
        size="small"
        dataSource={list.data ?? []}
        locale={{ emptyText: `没有待审批的${kind.label}` }}
        columns={[
          { title: '内容', render: (_, r) => kind.describe(r) },
          { title: '申请原因', dataIndex: 'reason' },
          { title: '申请人', dataIndex: 'requestedBy' },
          { title: '申请时间', dataIndex: 'requestedAt', render: beijingTime },
          {
            title: '操作',
            render: (_, r) =>
              r.requestedBy === profile?.id ? (
                <Tag>本人申请，须由他人审批</Tag>
              ) : r.staffId !== undefined && r.staffId === profile?.id ? (
                <Tag>与本人账号有关，须由他人审批</Tag>
              ) : profile?.role === kind.checker ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => decide(r, true)}>
                    通过
                  </Button>
                  <Button size="small" danger onClick={() => decide(r, false)}>
                    驳回
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">由{kind.checker === 'admin' ? '另一位管理员' : '审核员'}审批</Typography.Text>
              ),
          },
        ]}
      />
    </PageState>
  );
}

export default function ReviewQueue() {
  const queue = useQueue();
  const { profile } = useSession();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        消保审核
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'documents',
            label: (
              <Badge count={queue.data?.length ?? 0} offset={[12, 0]}>
                内容审核
              </Badge>
            ),
            children: (
              <PageState loading={queue.loading} error={queue.error} onRetry={queue.reload}>
                <Table<Row>
                  rowKey="id"
                  dataSource={queue.data ?? []}
                  locale={{ emptyText: '没有待审核的内容' }}
                  columns={[
                    { title: '类别', dataIndex: 'kindLabel' },
                    { title: '编码', dataIndex: 'code' },
                    { title: '标题', render: (_, d) => titleOf(d) },
                    { title: '机构', dataIndex: 'orgUnitId' },
                    { title: '变更', render: (_, d) => (d.liveRevision === null ? <Tag color="green">新建</Tag> : <Tag color="blue">修改线上 v{d.liveRevision}</Tag>) },
                    { title: '提交人', render: (_, d) => (d.submittedBy === profile?.id || d.authorId === profile?.id ? <Tag>本人</Tag> : d.submittedBy) },
                    { title: '操作', render: (_, d) => <Link to={`/review/${d.kindKey}/${d.id}`}>审核</Link> },
                  ]}
                />
              </PageState>
            ),
          },
          ...APPROVAL_KINDS.map((k) => ({ key: k.key, label: k.label, children: <Requests kind={k} /> })),
        ]}
      />
    </Space>
  );
}
