import { Button, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { Api, ResponseOf } from '@shared/api';
import {
  followUpMethodNamesZh,
  followUpOutcomeNamesZh,
  LEAD_STATUSES,
  leadClosedReasonNamesZh,
  leadStatusNamesZh,
  slaStateNamesZh,
  type LeadStatus,
  type SlaState,
} from '@shared/contracts/leads';
import { call } from '@/api/client';
import { PageState } from '@/components/PageState';
import { OrgUnitSelect } from '@/forms/OrgUnitSelect';
import { useDirectory } from '@/hooks/useDirectory';
import { useLoad } from '@/hooks/useLoad';
import { beijingTime } from '@/format';

type Lead = ResponseOf<Api['listLeads']>['items'][number];
type Filter = { status?: LeadStatus; unitId?: string; rmId?: string };

const STATUS_COLORS: Record<LeadStatus, string> = { open: 'processing', followed_up: 'success', escalated: 'error', closed: 'default' };
const SLA_COLORS: Record<SlaState, string> = { within: 'blue', overdue: 'red', met: 'green', missed: 'orange', closed: 'default' };
const PAGE = 50;

/**
 * 商机跟进: the leads of the managers in the caller's subtree (a branch admin their branch's, head
 * office all), newest first, filtered by status, unit and manager; customers masked; where each
 * stands against its SLA, and what the follow-up found. Escalated leads (已升级) are the branch's to chase.
 */
export default function Leads() {
  const names = useDirectory();
  const [filter, setFilter] = useState<Filter>({});
  // Older pages, each from where the one before ended.
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const leads = useLoad(() => call('listLeads', { query: { ...filter, before, limit: PAGE } }), [filter, before]);
  const refine = (next: Partial<Filter>) => {
    setFilter((f) => ({ ...f, ...next }));
    setCursors([]);
  };
  const managers = useMemo(
    () =>
      (names?.staff ?? [])
        .filter((s) => s.role === 'rm' && (!filter.unitId || s.orgUnitId === filter.unitId))
        .map((s) => ({ value: s.id, label: `${s.maskedName}（${names!.orgName(s.orgUnitId)}）` })),
    [names, filter.unitId],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        商机跟进
      </Typography.Title>
      <Typography.Text type="secondary">商机规则把客户的业务或行为事件变成客户经理的跟进任务；超过跟进时限未跟进的商机升级到分行。</Typography.Text>
      <Space wrap>
        <Select<LeadStatus | undefined>
          aria-label="商机状态"
          value={filter.status}
          placeholder="全部状态"
          allowClear
          onChange={(status) => refine({ status })}
          style={{ width: 140 }}
          options={LEAD_STATUSES.map((s) => ({ value: s, label: leadStatusNamesZh[s] }))}
          virtual={false}
        />
        <OrgUnitSelect allowClear placeholder="全部机构" value={filter.unitId} onChange={(unitId) => refine({ unitId, rmId: undefined })} />
        <Select<string | undefined>
          aria-label="客户经理"
          value={filter.rmId}
          placeholder="全部客户经理"
          allowClear
          showSearch
          optionFilterProp="label"
          onChange={(rmId) => refine({ rmId })}
          style={{ width: 220 }}
          options={managers}
          virtual={false}
        />
      </Space>
      <PageState loading={leads.loading} error={leads.error} onRetry={leads.reload}>
        <Table<Lead>
          rowKey="id"
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={leads.data?.items ?? []}
          pagination={false}
          // A page filtered by status reads a bounded stretch of history: empty there is not empty everywhere.
          locale={{ emptyText: leads.data?.nextBefore ? '这一段时间内没有符合条件的商机，请点「较早」继续查看' : '暂无商机' }}
          columns={[
            { title: '生成时间', dataIndex: 'createdAt', render: beijingTime },
            { title: '规则', dataIndex: 'ruleName' },
            { title: '客户', dataIndex: 'customerName' },
            { title: '商机来源', dataIndex: 'why' },
            { title: '客户经理', dataIndex: 'rmName' },
            { title: '机构', dataIndex: 'unitName' },
            { title: '跟进时限', dataIndex: 'dueAt', render: beijingTime },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: LeadStatus, lead) => (
                <Tooltip
                  title={lead.closedReason ? `已关闭：${leadClosedReasonNamesZh[lead.closedReason]}` : lead.escalatedAt ? `升级时间 ${beijingTime(lead.escalatedAt)}` : undefined}
                >
                  <Tag color={STATUS_COLORS[s]}>{leadStatusNamesZh[s]}</Tag>
                </Tooltip>
              ),
            },
            { title: '时限', dataIndex: 'slaState', render: (s: SlaState) => <Tag color={SLA_COLORS[s]}>{slaStateNamesZh[s]}</Tag> },
            {
              title: '跟进结果',
              dataIndex: 'followUp',
              render: (f: Lead['followUp']) =>
                f ? (
                  <Space direction="vertical" size={0}>
                    <span>
                      {followUpMethodNamesZh[f.method]} · {followUpOutcomeNamesZh[f.outcome]}（{beijingTime(f.at)}）
                    </span>
                    {f.note && <Typography.Text type="secondary">{f.note}</Typography.Text>}
                  </Space>
                ) : (
                  '—'
                ),
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
            较新
          </Button>
          <Button disabled={!leads.data?.nextBefore} onClick={() => setCursors((c) => [...c, leads.data!.nextBefore!])}>
            较早
          </Button>
        </Space>
      </PageState>
    </Space>
  );
}
