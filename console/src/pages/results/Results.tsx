import { Alert, App, Button, Card, Col, Progress, Row, Select, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { Api, ResponseOf } from '@shared/api';
import { wireRequest } from '@shared/api/client';
import { analyticsTable, DIFFERENCE_LABEL, type Cell, type Table as FigureRows } from '@shared/analytics-tables';
import { ANALYTICS_LABELS as L, type AnalyticsTable } from '@shared/contracts/analytics';
import { call } from '@/api/client';
import { download } from '@/api/download';
import { Chart, type ChartOption } from '@/components/Chart';
import { Figure } from '@/components/Figure';
import { errorText, PageState } from '@/components/PageState';
import { useLoad } from '@/hooks/useLoad';
import { titleOf, type AdminDoc } from '@/kinds';

type DrawStats = ResponseOf<Api['getDrawStats']>;
const num = (c: Cell) => (typeof c === 'number' ? c : 0);
const CSV_NAMES: Record<AnalyticsTable, string> = { funnel: '漏斗', trend: '每日趋势', experiment: '对照实验', difference: '转化率差', referral: '裂变' };

/** The funnel as bars, first step on top: each step is a subset of the one before, so no bar is wider than the one above it. */
function funnelOption(t: FigureRows): ChartOption {
  const rows = [...t.rows].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} 人` },
    grid: { left: 60, right: 50, top: 10, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: '{value} 人' } },
    yAxis: { type: 'category', data: rows.map((r) => r[0]) },
    series: [{ name: t.columns[1], type: 'bar', data: rows.map((r) => num(r[1])), label: { show: true, position: 'right', formatter: '{c} 人' } }],
  };
}

function trendOption(t: FigureRows): ChartOption {
  const names = t.columns.slice(1);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: names },
    grid: { left: 40, right: 20, top: 60, bottom: 30 },
    xAxis: { type: 'category', data: t.rows.map((r) => r[0]) },
    yAxis: { type: 'value', minInterval: 1, name: '人' },
    series: names.map((name, i) => ({ name, type: 'line', data: t.rows.map((r) => num(r[i + 1])) })),
  };
}

/** Each group's conversion rate; a group without figures (未设对照组) is left out of the chart. */
function experimentOption(t: FigureRows): ChartOption {
  const colours: Record<string, string> = { [L.control]: '#91cc75', [L.participants]: '#bfbfbf' };
  const rows = t.rows.filter((r) => typeof r[3] === 'number');
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    grid: { left: 50, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: rows.map((r) => r[0]), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: t.columns[3],
        type: 'bar',
        barWidth: 40,
        data: rows.map((r) => ({ value: num(r[3]), itemStyle: colours[String(r[0])] ? { color: colours[String(r[0])] } : undefined })),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}

/** The difference as a point with its 95% interval drawn as an error bar, against a line at zero. */
function differenceOption(t: FigureRows): ChartOption {
  const [label, difference, low, high] = t.rows[0];
  return {
    tooltip: { trigger: 'item' },
    grid: { left: 20, right: 30, top: 20, bottom: 40 },
    xAxis: { type: 'value', name: '百分点', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'category', data: [label], axisLabel: { show: false } },
    series: [
      {
        name: '95% 置信区间',
        type: 'custom',
        data: [[num(low), num(high), 0]],
        // Both ends on the value axis, so the axis spans the whole interval.
        encode: { x: [0, 1], y: 2 },
        renderItem: (_: unknown, api: { value: (i: number) => number; coord: (p: number[]) => number[] }) => {
          const [x1, y] = api.coord([api.value(0), api.value(2)]);
          const [x2] = api.coord([api.value(1), api.value(2)]);
          const style = { stroke: '#5470c6', lineWidth: 2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1, y1: y, x2, y2: y }, style },
              { type: 'line', shape: { x1, y1: y - 12, x2: x1, y2: y + 12 }, style },
              { type: 'line', shape: { x1: x2, y1: y - 12, x2, y2: y + 12 }, style },
            ],
          };
        },
        tooltip: { formatter: `95% 置信区间：${low} ~ ${high} 百分点` },
      },
      {
        name: t.columns[1],
        type: 'scatter',
        symbolSize: 14,
        data: [[num(difference), 0]],
        tooltip: { formatter: `${t.columns[1]}：${difference}` },
        markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#999', type: 'dashed' }, data: [{ xAxis: 0 }] },
      },
    ],
  };
}

function prizeTable(s: DrawStats): FigureRows {
  const round = (v: number) => Math.round(v * 10) / 10;
  return { columns: ['奖品', '公示概率（%）', '实际占比（%）'], rows: s.prizes.map((p) => [p.name, round(p.expectedPercent), round(p.actualPercent)]) };
}

function prizeOption(t: FigureRows): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    legend: { top: 0, data: t.columns.slice(1) },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: t.rows.map((r) => r[0]) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: t.columns.slice(1).map((name, i) => ({ name, type: 'bar', data: t.rows.map((r) => num(r[i + 1])) })),
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
  const draw = report.data?.draw;
  const tables = useMemo(
    () =>
      a && {
        funnel: analyticsTable(a, 'funnel'),
        trend: analyticsTable(a, 'trend'),
        experiment: analyticsTable(a, 'experiment'),
        difference: analyticsTable(a, 'difference'),
        prizes: draw ? prizeTable(draw) : null,
      },
    [a, draw],
  );
  const options = useMemo(
    () =>
      tables && {
        funnel: funnelOption(tables.funnel),
        trend: trendOption(tables.trend),
        experiment: experimentOption(tables.experiment),
        difference: differenceOption(tables.difference),
        prizes: tables.prizes && prizeOption(tables.prizes),
      },
    [tables],
  );
  const exportButton = (table: AnalyticsTable) => (
    <Button
      size="small"
      onClick={() =>
        download(wireRequest('exportActivityAnalytics', { params: { id: activity.id }, query: { table } }), `活动效果-${activity.code}-${CSV_NAMES[table]}.csv`).catch((e) =>
          message.error(errorText(e)),
        )
      }
    >
      导出 CSV
    </Button>
  );
  return (
    <PageState loading={report.loading} error={report.error} onRetry={report.reload}>
      {a && tables && options && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {activity.type === 'draw' && (
            <Space>
              <Button
                onClick={() =>
                  download(wireRequest('exportDrawWinners', { params: { id: activity.id } }), `winners-${activity.code}.csv`).catch((e) => message.error(errorText(e)))
                }
              >
                导出中奖名单
              </Button>
            </Space>
          )}
          {a.funnel[0].customers === 0 && <Alert type="info" showIcon message="尚无曝光数据：活动上线并被客户浏览后，这里将显示漏斗与趋势。" />}
          <Figure title="转化漏斗" chart={<Chart label="转化漏斗" option={options.funnel} />} table={tables.funnel} extra={exportButton('funnel')}>
            <Typography.Text type="secondary">
              每一环节只计到达过前面所有环节的客户，因此逐级收窄。{L.dropOff}：上一环节的客户中未到达本环节的比例。{L.reachedOtherWay}
              ：到达本环节、但缺少前面某一环节记录的客户（如经分享链接直接参与），单独列出。
            </Typography.Text>
          </Figure>
          <Figure title="每日趋势" chart={<Chart label="每日趋势" option={options.trend} />} table={tables.trend} extra={exportButton('trend')}>
            <Typography.Text type="secondary">按北京时间每日统计到达各环节的客户，不要求经过前面的环节；同一客户同一天在同一环节只计一次。</Typography.Text>
          </Figure>
          <Figure title="对照实验" chart={<Chart label="对照实验" option={options.experiment} height={260} />} table={tables.experiment} extra={exportButton('experiment')}>
            <Typography.Text type="secondary">
              转化：客户被分组后银行回传的任一转化。{L.assigned}与{L.control}都按随机分组计算，二者可以比较；{L.reached}与{L.participants}
              只供参考，不能与{L.control}比较。
            </Typography.Text>
          </Figure>
          {a.experiment.control ? (
            <Figure title="转化率差" chart={<Chart label="转化率差" option={options.difference} height={160} />} table={tables.difference} extra={exportButton('difference')}>
              <Typography.Text type="secondary">{DIFFERENCE_LABEL}，95% 置信区间按 Newcombe 混合得分法（两个 Wilson 区间之差）计算；区间不含 0 即为显著。</Typography.Text>
            </Figure>
          ) : (
            <Alert
              type="warning"
              showIcon
              message={`${L.noControl}${a.experiment.noControlReason ? `：${L.noControlReasons[a.experiment.noControlReason]}` : ''}`}
              description="没有随机对照，无法估计活动带来的提升，因此不给出转化率差与置信区间。"
            />
          )}
          <Row gutter={16}>
            {a.budget && (
              <Col xs={24} lg={8}>
                <Card title="预算消耗" size="small">
                  <Statistic title="已发放份数" value={a.budget.issued} suffix={`/ ${a.budget.maxRewards} 份`} />
                  <Progress percent={Math.round((a.budget.issued / a.budget.maxRewards) * 1000) / 10} aria-label="份数预算消耗" />
                  {a.budget.maxPoints !== null && (
                    <>
                      <Statistic title="已发放积分" value={a.budget.points} suffix={`/ ${a.budget.maxPoints} 积分`} />
                      <Progress percent={Math.round((a.budget.points / a.budget.maxPoints) * 1000) / 10} aria-label="积分预算消耗" />
                    </>
                  )}
                </Card>
              </Col>
            )}
            {a.referral && (
              <Col xs={24} lg={8}>
                <Card title="裂变" size="small" extra={exportButton('referral')}>
                  <Statistic title="K 因子（达标好友 ÷ 分享人）" value={a.referral.kFactor} precision={2} />
                  <Typography.Text type="secondary">
                    分享人 {a.referral.sharers} 人（其中 {a.referral.inviters} 人有达标好友），达标好友 {a.referral.qualified} 人
                  </Typography.Text>
                </Card>
              </Col>
            )}
          </Row>
          {options.prizes && tables.prizes && draw && (
            <Figure title={`奖品分布（共 ${draw.draws} 次抽奖）`} chart={<Chart label="奖品分布" option={options.prizes} height={260} />} table={tables.prizes} />
          )}
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
