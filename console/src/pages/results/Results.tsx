import { Alert, App, Button, Card, Col, Descriptions, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { Api, ResponseOf } from '@shared/api';
import { wireRequest } from '@shared/api/client';
import { ANALYTICS_LABELS as L, type ActivityAnalytics } from '@shared/contracts/analytics';
import { call } from '@/api/client';
import { download } from '@/api/download';
import { Chart, type ChartOption } from '@/components/Chart';
import { errorText, PageState } from '@/components/PageState';
import { useLoad } from '@/hooks/useLoad';
import { titleOf, type AdminDoc } from '@/kinds';

const STEP_NAMES: Record<string, string> = L.steps;
type DrawStats = ResponseOf<Api['getDrawStats']>;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * Each step's customers as two stacked parts: those who came through the previous step and
 * those who got there another way (a shared link …). A funnel shape would hide the second part
 * or draw a step wider than the one before it.
 */
function funnelOption(a: ActivityAnalytics): ChartOption {
  const steps = [...a.funnel].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} 人` },
    legend: { top: 0, data: [L.fromPrevious, L.reachedOtherWay] },
    grid: { left: 60, right: 40, top: 40, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: steps.map((s) => STEP_NAMES[s.step]) },
    series: [
      {
        name: L.fromPrevious,
        type: 'bar',
        stack: 'step',
        data: steps.map((s) => s.fromPrevious ?? s.customers),
        label: { show: true, position: 'inside', formatter: ({ value }: { value: number }) => (value ? String(value) : '') },
      },
      {
        name: L.reachedOtherWay,
        type: 'bar',
        stack: 'step',
        data: steps.map((s) => s.reachedOtherWay ?? 0),
        itemStyle: { color: '#fac858' },
        label: { show: true, position: 'right', formatter: ({ value }: { value: number }) => (value ? `+${value}` : '') },
      },
    ],
  };
}

function trendOption(a: ActivityAnalytics): ChartOption {
  const steps = ['impression', 'click', 'participate', 'reward', 'convert'] as const;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: steps.map((s) => STEP_NAMES[s]) },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: a.trend.map((d) => d.day) },
    yAxis: { type: 'value', minInterval: 1 },
    series: steps.map((s) => ({ name: STEP_NAMES[s], type: 'line', data: a.trend.map((d) => d[s]) })),
  };
}

function experimentOption(a: ActivityAnalytics): ChartOption {
  const e = a.experiment;
  // The self-selected participants are drawn apart (grey): a reference, not an arm of the comparison.
  const bars = [
    { name: L.treatment, value: e.treatment.rate },
    ...(e.control ? [{ name: L.control, value: e.control.rate, itemStyle: { color: '#91cc75' } }] : []),
    { name: L.participants, value: e.participants.rate, itemStyle: { color: '#bfbfbf' } },
  ];
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => pct(v) },
    grid: { left: 60, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => pct(v) } },
    series: [{ type: 'bar', barWidth: 48, data: bars, label: { show: true, position: 'top', formatter: ({ value }: { value: number }) => pct(value) } }],
  };
}

const armText = (arm: { customers: number; converted: number; rate: number }) => `${arm.converted} / ${arm.customers}（${arm.customers ? pct(arm.rate) : '—'}）`;

function prizeOption(s: DrawStats): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
    legend: { top: 0, data: ['公示概率', '实际占比'] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: s.prizes.map((p) => p.name) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      { name: '公示概率', type: 'bar', data: s.prizes.map((p) => p.expectedPercent) },
      { name: '实际占比', type: 'bar', data: s.prizes.map((p) => p.actualPercent) },
    ],
  };
}

function Report({ activity }: { activity: AdminDoc }) {
  const { message } = App.useApp();
  const report = useLoad(async () => {
    const [analytics, draw] = await Promise.all([
      call('getActivityAnalytics', { params: { id: activity.id } }),
      activity.type === 'draw' ? call('getDrawStats', { params: { id: activity.id } }) : Promise.resolve(null),
    ]);
    return { analytics, draw };
  }, [activity.id]);
  const a = report.data?.analytics;
  const options = useMemo(() => (a ? { funnel: funnelOption(a), trend: trendOption(a), experiment: experimentOption(a) } : null), [a]);
  const prize = useMemo(() => (report.data?.draw ? prizeOption(report.data.draw) : null), [report.data?.draw]);
  return (
    <PageState loading={report.loading} error={report.error} onRetry={report.reload}>
      {a && options && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space>
            <Button
              onClick={() =>
                download(wireRequest('exportActivityAnalytics', { params: { id: activity.id } }), `analytics-${activity.code}.csv`).catch((e) => message.error(errorText(e)))
              }
            >
              导出 CSV
            </Button>
            {activity.type === 'draw' && (
              <Button
                onClick={() =>
                  download(wireRequest('exportDrawWinners', { params: { id: activity.id } }), `winners-${activity.code}.csv`).catch((e) => message.error(errorText(e)))
                }
              >
                导出中奖名单
              </Button>
            )}
          </Space>
          {a.funnel[0].customers === 0 && <Alert type="info" showIcon message="尚无曝光数据：活动上线并被客户浏览后，这里将显示漏斗与趋势。" />}
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title="转化漏斗" size="small">
                <Chart label="转化漏斗" option={options.funnel} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="每日趋势" size="small">
                <Chart label="每日趋势" option={options.trend} />
              </Card>
            </Col>
          </Row>
          <Table
            size="small"
            rowKey="step"
            pagination={false}
            aria-label="漏斗明细"
            dataSource={a.funnel}
            columns={[
              { title: '环节', dataIndex: 'step', render: (s: string) => STEP_NAMES[s] },
              { title: '客户数', dataIndex: 'customers' },
              { title: L.fromPrevious, dataIndex: 'fromPrevious', render: (n: number | null) => n ?? '—' },
              { title: L.reachedOtherWay, dataIndex: 'reachedOtherWay', render: (n: number | null) => n ?? '—' },
              { title: L.dropOff, dataIndex: 'dropOff', render: (d: number | null) => (d === null ? '—' : pct(d)) },
              {
                title: '距上一环节中位时长',
                dataIndex: 'medianSecondsFromPrevious',
                render: (m: number | null) => (m === null ? '—' : m < 60 ? `${Math.round(m)} 秒` : `${Math.round(m / 60)} 分钟`),
              },
            ]}
          />
          <Typography.Text type="secondary">
            {L.dropOff}：上一环节的客户中未到达本环节的比例。{L.reachedOtherWay}：到达本环节、但没有上一环节记录的客户（如经分享链接直接参与），单独列出，不计入流失率。
          </Typography.Text>
          <Card title={`${L.treatment}与${L.control}`} size="small">
            <Row gutter={16}>
              <Col xs={24} lg={12}>
                <Chart label="对照实验" option={options.experiment} height={260} />
              </Col>
              <Col xs={24} lg={12}>
                {!a.experiment.control && (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginBottom: 12 }}
                    message={`${L.noControl}${a.experiment.noControlReason ? `：${L.noControlReasons[a.experiment.noControlReason]}` : ''}`}
                    description="没有随机对照，无法估计活动带来的提升，因此不给出转化率差与置信区间。"
                  />
                )}
                <Descriptions column={1} size="small" bordered>
                  <Descriptions.Item label="转化口径">{a.experiment.conversion === 'any' ? '任一银行回传转化' : a.experiment.conversion}</Descriptions.Item>
                  <Descriptions.Item label={L.treatment}>{armText(a.experiment.treatment)}</Descriptions.Item>
                  <Descriptions.Item label={L.control}>{a.experiment.control ? armText(a.experiment.control) : L.noControl}</Descriptions.Item>
                  {a.experiment.difference !== null && a.experiment.ci95 && (
                    <>
                      <Descriptions.Item label="转化率差">{pct(a.experiment.difference)}</Descriptions.Item>
                      <Descriptions.Item label="95% 置信区间">
                        [{pct(a.experiment.ci95.low)}, {pct(a.experiment.ci95.high)}] {a.experiment.significant ? <Tag color="green">显著</Tag> : <Tag>不显著</Tag>}
                      </Descriptions.Item>
                      <Descriptions.Item label="方法">Newcombe 混合得分法（两个 Wilson 区间之差）</Descriptions.Item>
                    </>
                  )}
                  <Descriptions.Item label={L.participants}>
                    {armText(a.experiment.participants)}
                    <br />
                    <Typography.Text type="secondary">参与者是自己选择参与的客户，与其他客户本就不同，不能与{L.control}比较。</Typography.Text>
                  </Descriptions.Item>
                </Descriptions>
              </Col>
            </Row>
          </Card>
          <Row gutter={16}>
            {a.budget && (
              <Col xs={24} lg={8}>
                <Card title="预算消耗" size="small">
                  <Statistic title="已发放份数" value={a.budget.issued} suffix={`/ ${a.budget.maxRewards}`} />
                  <Progress percent={Math.round((a.budget.issued / a.budget.maxRewards) * 1000) / 10} aria-label="份数预算消耗" />
                  {a.budget.maxPoints !== null && (
                    <>
                      <Statistic title="已发放积分" value={a.budget.points} suffix={`/ ${a.budget.maxPoints}`} />
                      <Progress percent={Math.round((a.budget.points / a.budget.maxPoints) * 1000) / 10} aria-label="积分预算消耗" />
                    </>
                  )}
                </Card>
              </Col>
            )}
            {a.referral && (
              <Col xs={24} lg={8}>
                <Card title="裂变" size="small">
                  <Statistic title="K 因子（达标好友 ÷ 分享人）" value={a.referral.kFactor} precision={2} />
                  <Typography.Text type="secondary">
                    分享人 {a.referral.sharers}（其中 {a.referral.inviters} 人有达标好友），达标好友 {a.referral.qualified}
                  </Typography.Text>
                </Card>
              </Col>
            )}
            {prize && report.data?.draw && (
              <Col xs={24} lg={16}>
                <Card title={`奖品分布（共 ${report.data.draw.draws} 次抽奖）`} size="small">
                  <Chart label="奖品分布" option={prize} height={260} />
                </Card>
              </Col>
            )}
          </Row>
        </Space>
      )}
    </PageState>
  );
}

export default function Results() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  // The picker searches on the server; the activity in the address is read by its id, wherever it is in the list.
  const list = useLoad(() => call('listActivities', { query: { q: q.trim() || undefined, pageSize: 50 } }), [q]);
  const chosen = useLoad(() => (id ? call('getActivity', { params: { id } }) : Promise.resolve(null)), [id]);
  const published = (list.data?.items ?? []).filter((d) => d.liveRevision !== null);
  const activity = chosen.data?.liveRevision !== null ? chosen.data : null;
  const options = [...(activity && !published.some((d) => d.id === activity.id) ? [activity] : []), ...published];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        活动效果
      </Typography.Title>
      <Select
        showSearch
        filterOption={false}
        onSearch={setQ}
        loading={list.loading}
        style={{ width: 420 }}
        placeholder="选择或搜索活动（编码或标题）"
        value={activity?.id}
        onChange={(v) => navigate(`/results/${v}`)}
        notFoundContent={list.loading ? '加载中…' : '没有审核通过的活动'}
        options={options.map((d) => ({ value: d.id, label: `${titleOf(d)}（${d.code}）` }))}
      />
      {id ? (
        <PageState loading={chosen.loading} error={chosen.error} onRetry={chosen.reload}>
          {activity ? <Report activity={activity} /> : <Alert type="warning" showIcon message="该活动尚未审核通过，还没有效果数据" />}
        </PageState>
      ) : (
        <PageState loading={false} error={list.error} onRetry={list.reload}>
          <Alert type="info" showIcon message="请选择一个审核通过的活动，查看漏斗、对照实验、预算与奖品分布" />
        </PageState>
      )}
    </Space>
  );
}
