import { Button, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { REVIEW_STATES, reviewStateNamesZh, type ReviewState } from '@shared/contracts/review';
import { call } from '@/api/client';
import { useSession } from '@/auth/session';
import { PageState } from '@/components/PageState';
import { OrgUnitSelect } from '@/forms/OrgUnitSelect';
import { beijingTime } from '@/format';
import { useDirectory } from '@/hooks/useDirectory';
import { useLoad } from '@/hooks/useLoad';
import { kindByKey, titleOf, type AdminDoc } from '@/kinds';
import { BulkUpload } from './BulkUpload';
import { STATE_COLORS, TYPE_NAMES } from './names';

type Filters = { state?: ReviewState; type?: string; orgUnitId?: string; q?: string; range?: [Dayjs, Dayjs] | null };

export default function ContentList() {
  const kind = kindByKey(useParams().kind);
  const { can } = useSession();
  const names = useDirectory();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({});
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [uploading, setUploading] = useState(false);
  const list = useLoad(
    () =>
      kind
        ? call(kind.operations.list, {
            query: {
              ...page,
              state: filters.state,
              type: filters.type,
              orgUnitId: filters.orgUnitId,
              q: filters.q,
              from: filters.range?.[0]?.startOf('day').format(),
              to: filters.range?.[1]?.endOf('day').format(),
            },
          })
        : Promise.reject(new Error('unknown kind')),
    [kind, filters, page],
  );
  if (!kind)
    return (
      <PageState loading={false} error={null} empty emptyText="没有这类内容">
        {null}
      </PageState>
    );
  const typeNames = TYPE_NAMES[kind.key];
  const setFilter = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setPage((p) => ({ ...p, page: 1 }));
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {kind.label}管理
        </Typography.Title>
        {can('content.edit') && (
          <Space>
            <Button onClick={() => setUploading(true)}>批量上传</Button>
            <Button type="primary" onClick={() => navigate(`/content/${kind.key}/new`)}>
              新建{kind.label}
            </Button>
          </Space>
        )}
      </Space>
      <Space wrap aria-label="筛选">
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 140 }}
          value={filters.state}
          onChange={(state) => setFilter({ state })}
          options={REVIEW_STATES.map((s) => ({ value: s, label: reviewStateNamesZh[s] }))}
        />
        {typeNames && (
          <Select
            allowClear
            placeholder="类型"
            style={{ width: 140 }}
            value={filters.type}
            onChange={(type) => setFilter({ type })}
            options={Object.entries(typeNames).map(([value, label]) => ({ value, label }))}
          />
        )}
        <OrgUnitSelect allowClear placeholder="全部机构" value={filters.orgUnitId} onChange={(orgUnitId) => setFilter({ orgUnitId })} />
        <DatePicker.RangePicker value={filters.range ?? null} onChange={(range) => setFilter({ range: range as [Dayjs, Dayjs] | null })} placeholder={['生效开始', '生效结束']} />
        <Input.Search
          allowClear
          placeholder="编码或标题"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          style={{ width: 220 }}
        />
      </Space>
      <PageState loading={list.loading && !list.data} error={list.error} onRetry={list.reload}>
        <Table<AdminDoc>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: can('content.edit') ? `暂无${kind.label}，可点击「新建${kind.label}」或「批量上传」` : `暂无${kind.label}` }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          columns={[
            { title: '编码', dataIndex: 'code', render: (code: string, doc) => <Link to={`/content/${kind.key}/${doc.id}`}>{code}</Link> },
            { title: '标题', render: (_, doc) => titleOf(doc) },
            ...(typeNames ? [{ title: '类型', dataIndex: 'type', render: (t: string) => typeNames[t] ?? t }] : []),
            { title: '机构', dataIndex: 'orgUnitId', render: (id: string) => names?.orgName(id) ?? '' },
            { title: '作者', dataIndex: 'authorId', render: (id: string | null) => (id ? (names?.staffName(id) ?? '') : '—') },
            { title: '提交审核', dataIndex: 'submittedAt', render: (at: string | null) => (at ? beijingTime(at) : '—') },
            {
              title: '状态',
              render: (_, doc) => (
                <Space size={4}>
                  <Tag color={STATE_COLORS[doc.state]}>{reviewStateNamesZh[doc.state]}</Tag>
                  {doc.workingState === 'rejected' && <Tag color="red">已驳回</Tag>}
                  {doc.workingState && doc.state !== 'draft' && doc.state !== 'pending_review' && doc.workingState !== 'rejected' && (
                    <Tag>{doc.workingState === 'pending_review' ? '修改待审' : '有未提交修改'}</Tag>
                  )}
                </Space>
              ),
            },
            { title: '线上版本', dataIndex: 'liveRevision', render: (r: number | null) => (r === null ? '—' : `v${r}`) },
          ]}
        />
      </PageState>
      {uploading && (
        <BulkUpload
          kind={kind}
          onClose={(changed) => {
            setUploading(false);
            if (changed) list.reload();
          }}
        />
      )}
    </Space>
  );
}
