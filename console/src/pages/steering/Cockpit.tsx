import { Alert, App, Button, Card, Col, Radio, Row, Select, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { wireRequest } from '@shared/api/client';
import { cockpitTable, COCKPIT_LABELS, type Cell, type Table as FigureRows } from '@shared/cockpit-tables';
import { programmeMetricNamesZh, type CockpitTable } from '@shared/contracts/programme';
import { call } from '@/api/client';
import { download } from '@/api/download';
import { Chart, type ChartOption } from '@/components/Chart';
import { Figure } from '@/components/Figure';
import { errorText, PageState } from '@/components/PageState';
import { OrgUnitSelect } from '@/forms/OrgUnitSelect';
import { useLoad } from '@/hooks/useLoad';
import { useSession } from '@/auth/session';

const num = (c: Cell) => (typeof c === 'number' ? c : 0);
const CSV_NAMES: Record<CockpitTable, string> = {
  kpis: '核心指标',
  targets: '目标完成',
  units: '下级机构',
  daily: '每日活跃',
  channels: '渠道',
  activities: '活动参与',
  conversions: '转化',
  points: '积分',
  leaderboard: '客户经理排行',
};

/** The last twelve months and the last four quarters (Beijing time), newest first. */
function periodChoices(kind: 'month' | 'quarter'): { value: string; label: string }[] {
  const now = dayjs();
  if (kind === 'month')
    return Array.from({ length: 12 }, (_, i) => {
      const m = now.subtract(i, 'month');
      return { value: m.format('YYYY-MM'), label: m.format('YYYY 年 M 月') };
    });
  return Array.from({ length: 4 }, (_, i) => {
    const m = now.subtract(i * 3, 'month');
    const q = Math.floor(m.month() / 3) + 1;
    return { value: `${m.year()}-Q${q}`, label: `${m.year()} 年第 ${q} 季度` };
  });
}

function targetsOption(t: FigureRows): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: ['目标', '完成'] },
    grid: { left: 110, right: 30, top: 30, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: t.rows.map((r) => r[0]) },
    series: [
      { name: '目标', type: 'bar', data: t.rows.map((r) => num(r[1])) },
      { name: '完成', type: 'bar', data: t.rows.map((r) => num(r[2])), label: { show: true, position: 'right' } },
    ],
  };
}

function lineOption(t: FigureRows): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: t.rows.map((r) => r[0]) },
    yAxis: { type: 'value', minInterval: 1, name: '人' },
    series: [{ name: t.columns[1], type: 'line', data: t.rows.map((r) => num(r[1])) }],
  };
}

function barOption(t: FigureRows, unit: string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: t.rows.map((r) => r[0]), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1, name: unit },
    series: [{ name: t.columns[1], type: 'bar', barMaxWidth: 40, data: t.rows.map((r) => num(r[1])), label: { show: true, position: 'top' } }],
  };
}

/** 经营看板: one unit (drilled down to the units below it) in one month or quarter, every figure beside its table and its CSV. */
export default function Cockpit() {
  const { message } = App.useApp();
  const { profile } = useSession();
  const [unitId, setUnitId] = useState<string | undefined>(profile?.orgUnitId);
  const [kind, setKind] = useState<'month' | 'quarter'>('month');
  const [period, setPeriod] = useState(() => periodChoices('month')[0].value);
  const report = useLoad(() => call('getCockpit', { query: { unitId, period } }), [unitId, period]);
  const c = report.data;
  const tables = useMemo(
    () =>
      c && {
        kpis: cockpitTable(c, 'kpis'),
        targets: cockpitTable(c, 'targets'),
        units: cockpitTable(c, 'units'),
        daily: cockpitTable(c, 'daily'),
        channels: cockpitTable(c, 'channels'),
        activities: cockpitTable(c, 'activities'),
        conversions: cockpitTable(c, 'conversions'),
        points: cockpitTable(c, 'points'),
        leaderboard: cockpitTable(c, 'leaderboard'),
      },
    [c],
  );
  const options = useMemo(
    () =>
      tables && {
        targets: targetsOption(tables.targets),
        daily: lineOption(tables.daily),
        channels: barOption(tables.channels, '人次'),
        conversions: barOption(tables.conversions, '人'),
        points: barOption(
          { columns: tables.points.columns, rows: tables.points.rows.filter((r) => ['发放（含退回、调增）', '使用', '过期', '未使用余额（负债）'].includes(String(r[0]))) },
          '积分',
        ),
      },
    [tables],
  );
  const exportButton = (table: CockpitTable) => (
    <Button
      size="small"
      onClick={() =>
        download(wireRequest('exportCockpit', { query: { unitId, period, table } }), `经营看板-${c?.unit.name ?? ''}-${period}-${CSV_NAMES[table]}.csv`).catch((e) =>
          message.error(errorText(e)),
        )
      }
    >
      导出 CSV
    </Button>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        经营看板
      </Typography.Title>
      <Space wrap>
        <OrgUnitSelect value={unitId} onChange={(v) => setUnitId(v ?? profile?.orgUnitId)} placeholder="选择机构" />
        <Radio.Group
          value={kind}
          optionType="button"
          onChange={(e) => {
            setKind(e.target.value);
            setPeriod(periodChoices(e.target.value)[0].value);
          }}
          options={[
            { value: 'month', label: '月' },
            { value: 'quarter', label: '季度' },
          ]}
        />
        <Select aria-label="统计周期" value={period} onChange={setPeriod} options={periodChoices(kind)} style={{ width: 180 }} virtual={false} />
      </Space>
      <PageState loading={report.loading} error={report.error} onRetry={report.reload}>
        {c && tables && options && (
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Card size="small" title={`${c.unit.name} · ${c.period.key}`} extra={exportButton('kpis')}>
              <Row gutter={[16, 16]}>
                {(['monthly_active', 'rm_new_customers', 'phone_bindings', 'participants', 'open_account', 'product_bought', 'aum_growth'] as const).map((m) => (
                  <Col key={m} xs={12} md={6} xl={3}>
                    <Statistic title={programmeMetricNamesZh[m]} value={c.figures[m]} suffix="人" />
                  </Col>
                ))}
                <Col xs={12} md={6} xl={3}>
                  <Statistic title={COCKPIT_LABELS.reached} value={c.figures.reached} suffix="人" />
                </Col>
                <Col xs={12} md={6} xl={3}>
                  <Statistic title={COCKPIT_LABELS.costPerActive} value={c.costPerActiveYuan ?? '—'} precision={c.costPerActiveYuan === null ? undefined : 2} />
                </Col>
                <Col xs={12} md={6} xl={3}>
                  <Statistic title="积分负债（元）" value={c.points.outstandingYuan} precision={2} />
                </Col>
                <Col xs={12} md={6} xl={3}>
                  <Statistic title={COCKPIT_LABELS.slaRate} value={c.figures.slaRate === null ? '—' : Math.round(c.figures.slaRate * 1000) / 10} />
                </Col>
                <Col xs={12} md={6} xl={3} data-testid="cockpit-tasks">
                  <Statistic title={COCKPIT_LABELS.tasks} value={c.tasks.completed} suffix={`/ ${c.tasks.assigned}`} />
                </Col>
              </Row>
            </Card>
            <Figure title="目标与完成" chart={<Chart label="目标与完成" option={options.targets} height={320} />} table={tables.targets} extra={exportButton('targets')}>
              <Typography.Text type="secondary">目标为审核通过的经营目标分配给本机构的数（总行为其下达各分行之和）；完成按同一周期、同一口径计数。</Typography.Text>
            </Figure>
            <Figure title="每日活跃客户" chart={<Chart label="每日活跃客户" option={options.daily} />} table={tables.daily} extra={exportButton('daily')}>
              <Typography.Text type="secondary">按北京时间每日统计有任一行为事件的客户；月活跃为周期内有行为事件的客户数（去重）。</Typography.Text>
            </Figure>
            <Figure title="活动参与渠道" chart={<Chart label="活动参与渠道" option={options.channels} height={260} />} table={tables.channels} extra={exportButton('channels')}>
              <Typography.Text type="secondary">
                参与前曾被事件营销推荐该活动的计「事件营销」；否则按客户首次到达：员工分享（海报、链接）计「客户经理海报」，客户分享计「客户分享」，其余为「自然流量」。
              </Typography.Text>
            </Figure>
            <Figure title="活动参与" table={tables.activities} extra={exportButton('activities')} />
            <Figure
              title="银行回传转化"
              chart={<Chart label="银行回传转化" option={options.conversions} height={260} />}
              table={tables.conversions}
              extra={exportButton('conversions')}
            />
            <Figure title="积分" chart={<Chart label="积分" option={options.points} height={260} />} table={tables.points} extra={exportButton('points')}>
              <Typography.Text type="secondary">
                按积分账本流水计：发放、使用、过期为本周期内的流水；未使用余额为当前各客户余额之和（财务计提的积分负债），并与全部流水之和核对。每积分 {c.points.pointValueYuan}{' '}
                元。
              </Typography.Text>
              {!c.points.balanced && <Alert type="error" showIcon message="积分余额与账本流水之和不一致，请联系运维核查" />}
            </Figure>
            {c.units.length > 0 && <Figure title="下级机构" table={tables.units} extra={exportButton('units')} />}
            <Figure title="客户经理排行" table={tables.leaderboard} extra={exportButton('leaderboard')}>
              <Typography.Text type="secondary">按客户经理新增客户、月活跃客户排序；审核员看到的姓名已脱敏。</Typography.Text>
            </Figure>
          </Space>
        )}
      </PageState>
    </Space>
  );
}
