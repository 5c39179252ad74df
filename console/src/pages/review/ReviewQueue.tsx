import { useMemo, useState } from 'react';
import { App, Badge, Button, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { call } from '@/api/client';
import { loadDirectory, type Directory } from '@/api/directory';
import { allPages, MAX_PAGE_SIZE } from '@/api/pages';
import { useSession } from '@/auth/session';
import { mayCall } from '@/auth/permissions';
import { errorText, PageState } from '@/components/PageState';
import { confirmWithReason } from '@/components/ReasonPrompt';
import { beijingTime } from '@/format';
import { useLoad, type Loaded } from '@/hooks/useLoad';
import { KINDS, titleOf, type AdminDoc } from '@/kinds';
import { APPROVAL_KINDS, type ApprovalKind, type ApprovalRequest } from './approvals';

type Row = AdminDoc & { kindKey: string; kindLabel: string };

/** Oldest first; a time not kept (revisions submitted before it was) sorts first, as the oldest. */
const byTime = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
const pagination = { showTotal: (total: number) => `共 ${total} 条`, showSizeChanger: true } as const;

/** Every document awaiting a decision in the caller's subtree, every page of every kind, and the directory that names their units and people. */
function useDocuments() {
  return useLoad(async () => {
    const [directory, ...kinds] = await Promise.all([
      loadDirectory(),
      ...KINDS.map((k) =>
        allPages((page) => call(k.operations.list, { query: { workingState: 'pending_review', page, pageSize: MAX_PAGE_SIZE } })).then((docs) =>
          docs.map((d): Row => ({ ...d, kindKey: k.key, kindLabel: k.label })),
        ),
      ),
    ]);
    return { directory, rows: kinds.flat() };
  }, []);
}

/** Every pending request of each kind the caller may read, by kind. */
function useRequests(kinds: readonly ApprovalKind[]) {
  return useLoad(async () => {
    const lists = await Promise.all(
      kinds.map((k) => allPages((page): Promise<{ items: ApprovalRequest[]; total: number }> => call(k.operations.pending, { query: { page, pageSize: MAX_PAGE_SIZE } }))),
    );
    return new Map(kinds.map((k, i) => [k.key, lists[i]]));
  }, [kinds]);
}

/** Approvals sent at once in a batch: quick, without taking every connection the console has. */
const AT_ONCE = 3;

function Documents({ loaded, me }: { loaded: Loaded<{ directory: Directory; rows: Row[] }>; me: string | undefined }) {
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [picked, setPicked] = useState<Row[]>([]);
  const rows = loaded.data?.rows ?? [];
  const directory = loaded.data?.directory;
  const personOf = (id: string | null) => (id === null ? '—' : id === me ? '本人' : (directory?.staffName(id) ?? ''));
  const units = [...new Set(rows.map((d) => d.orgUnitId))];
  const own = (d: Row) => d.authorId === me || d.submittedBy === me;
  /** 批量通过: an uploaded batch (a question bank) approved in one go, each as from its page; any refused are listed. */
  const approveAll = () =>
    confirmWithReason(modal, {
      title: `确认通过选中的 ${picked.length} 项？`,
      detail: (
        <ul style={{ maxHeight: 240, overflow: 'auto', paddingInlineStart: 20 }}>
          {picked.map((d) => (
            <li key={d.id}>
              {d.kindLabel}：{titleOf(d)}（{d.code}）
            </li>
          ))}
        </ul>
      ),
      placeholder: '审核意见（选填，记入每一项）',
      optional: true,
      okText: '全部通过',
      run: async (reason) => {
        const refused: string[] = [];
        const queue = [...picked];
        await Promise.all(
          Array.from({ length: AT_ONCE }, async () => {
            for (let d = queue.shift(); d; d = queue.shift()) {
              const kind = KINDS.find((k) => k.key === d!.kindKey)!;
              await call(kind.operations.approve, { params: { id: d.id }, body: reason ? { reason } : {} }).catch((err: unknown) => refused.push(`${d!.code}：${errorText(err)}`));
            }
          }),
        );
        if (refused.length)
          modal.warning({ title: `已通过 ${picked.length - refused.length} 项，${refused.length} 项未通过`, content: refused.map((r) => <div key={r}>{r}</div>) });
        else message.success(`已通过 ${picked.length} 项`);
        setPicked([]);
        loaded.reload();
      },
    });
  return (
    <PageState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload}>
      {can('review.decide') && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" disabled={!picked.length} onClick={approveAll}>
            批量通过{picked.length ? `（${picked.length} 项）` : ''}
          </Button>
          <Typography.Text type="secondary">适用于批量上传的题目等：勾选后一并通过；本人编写或提交的不能勾选。</Typography.Text>
        </Space>
      )}
      <Table<Row>
        rowKey="id"
        dataSource={rows}
        rowSelection={
          can('review.decide')
            ? {
                selectedRowKeys: picked.map((d) => d.id),
                onChange: (_, chosen) => setPicked(chosen),
                getCheckboxProps: (d) => ({ disabled: own(d) }),
                preserveSelectedRowKeys: false,
              }
            : undefined
        }
        pagination={pagination}
        locale={{ emptyText: '没有待审核的内容' }}
        columns={[
          {
            title: '类别',
            dataIndex: 'kindLabel',
            sorter: (a, b) => a.kindLabel.localeCompare(b.kindLabel, 'zh'),
            filters: KINDS.filter((k) => rows.some((d) => d.kindKey === k.key)).map((k) => ({ text: k.label, value: k.key })),
            onFilter: (value, d) => d.kindKey === value,
          },
          { title: '编码', dataIndex: 'code' },
          { title: '标题', render: (_, d) => titleOf(d) },
          {
            title: '机构',
            render: (_, d) => directory?.orgName(d.orgUnitId),
            filters: units.map((id) => ({ text: directory?.orgName(id) ?? '', value: id })),
            onFilter: (value, d) => d.orgUnitId === value,
          },
          { title: '变更', render: (_, d) => (d.liveRevision === null ? <Tag color="green">新建</Tag> : <Tag color="blue">修改线上 v{d.liveRevision}</Tag>) },
          { title: '作者', render: (_, d) => personOf(d.authorId) },
          { title: '提交人', render: (_, d) => personOf(d.submittedBy) },
          { title: '提交时间', dataIndex: 'submittedAt', render: beijingTime, sorter: (a, b) => byTime(a.submittedAt, b.submittedAt), defaultSortOrder: 'ascend' },
          { title: '操作', render: (_, d) => <Link to={`/review/${d.kindKey}/${d.id}`}>审核</Link> },
        ]}
      />
    </PageState>
  );
}

function Requests({ kind, loaded }: { kind: ApprovalKind; loaded: Loaded<Map<string, ApprovalRequest[]>> }) {
  const { profile } = useSession();
  const { message, modal } = App.useApp();
  // Who decides, as the contract's approve operation says: reviewers, or (staff access) head-office admins.
  const decides = mayCall(profile?.role, kind.operations.approve);
  const decidedByAdmins = mayCall('admin', kind.operations.approve);
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
          loaded.reload();
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });
  return (
    <PageState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload}>
      <Table<ApprovalRequest>
        rowKey="id"
        size="small"
        dataSource={loaded.data?.get(kind.key) ?? []}
        pagination={pagination}
        locale={{ emptyText: `没有待审批的${kind.label}` }}
        columns={[
          { title: '内容', render: (_, r) => kind.describe(r) },
          { title: '申请原因', dataIndex: 'reason' },
          { title: '申请人', render: (_, r) => (r.requestedBy === profile?.id ? '本人' : r.requestedByName) },
          { title: '申请时间', dataIndex: 'requestedAt', render: beijingTime, sorter: (a, b) => byTime(a.requestedAt, b.requestedAt), defaultSortOrder: 'ascend' },
          {
            title: '操作',
            render: (_, r) =>
              r.requestedBy === profile?.id ? (
                <Tag>本人申请，须由他人审批</Tag>
              ) : r.staffId !== undefined && r.staffId === profile?.id ? (
                <Tag>与本人账号有关，须由他人审批</Tag>
              ) : decides ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => decide(r, true)}>
                    通过
                  </Button>
                  <Button size="small" danger onClick={() => decide(r, false)}>
                    驳回
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">由{decidedByAdmins ? '另一位管理员' : '审核员'}审批</Typography.Text>
              ),
          },
        ]}
      />
    </PageState>
  );
}

const counted = (label: string, count: number | undefined) => (
  <Space size={4}>
    {label}
    <Badge count={count ?? 0} showZero overflowCount={99_999} color={count ? undefined : 'gray'} />
  </Space>
);

export default function ReviewQueue() {
  const { profile } = useSession();
  const role = profile?.role;
  // Only the kinds whose pending list the role may read (the contract's access), so no tab ends in a refusal.
  const visible = useMemo(() => APPROVAL_KINDS.filter((k) => mayCall(role, k.operations.pending)), [role]);
  const documents = useDocuments();
  const requests = useRequests(visible);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        消保审核
      </Typography.Title>
      <Tabs
        items={[
          { key: 'documents', label: counted('内容审核', documents.data?.rows.length), children: <Documents loaded={documents} me={profile?.id} /> },
          ...visible.map((k) => ({ key: k.key, label: counted(k.label, requests.data?.get(k.key)?.length), children: <Requests kind={k} loaded={requests} /> })),
        ]}
      />
    </Space>
  );
}
