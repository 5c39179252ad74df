import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { MyPerformance } from '@shared/contracts/programme';
import { PROGRAMME_METRICS, programmeMetricNamesZh } from '@shared/programme-names';
import { getMyPerformance } from '@/api/staff';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';

type Span = 'month' | 'quarter';
const SPANS: [Span, string][] = [
  ['month', '本月'],
  ['quarter', '本季度'],
];
const percent = (rate: number | null) => (rate === null ? '' : ` · 完成 ${Math.round(rate * 1000) / 10}%`);

/** 我的业绩: my own figures this month or quarter, against the targets allotted to me (never another manager's). */
export function Performance() {
  const [span, setSpan] = useState<Span>('month');
  const { data, error, loading, reload } = useApi<MyPerformance>(getMyPerformance);
  const mine = data?.[span];
  return (
    <>
      <View className="bench__choices" data-testid="performance-spans">
        {SPANS.map(([key, label]) => (
          <Text key={key} className={`bench__choice ${span === key ? 'bench__choice--on' : ''}`} onClick={() => setSpan(key)} data-testid={`performance-${key}`}>
            {label}
          </Text>
        ))}
      </View>
      <StateView loading={loading} error={error} onRetry={reload}>
        {mine && (
          <View className="bench__list" data-testid="bench-performance">
            {PROGRAMME_METRICS.map((metric) => {
              const target = mine.targets.find((t) => t.metric === metric);
              return (
                <View key={metric} className="bench__customer" data-testid="performance-metric">
                  <View className="bench__customer-head">
                    <Text className="bench__name">{programmeMetricNamesZh[metric]}</Text>
                    <Text className="bench__via">{mine.figures[metric]} 人</Text>
                  </View>
                  <Text className="bench__meta">{target && target.target > 0 ? `目标 ${target.target} 人${percent(target.rate)}` : '未分配目标'}</Text>
                </View>
              );
            })}
            <View className="bench__customer">
              <View className="bench__customer-head">
                <Text className="bench__name">触达客户</Text>
                <Text className="bench__via">{mine.figures.reached} 人</Text>
              </View>
              <Text className="bench__meta">
                任务跟进 {mine.figures.followUps} 次 · 商机 {mine.figures.leads} 条
                {mine.figures.slaRate === null ? '' : ` · SLA 达成 ${Math.round(mine.figures.slaRate * 1000) / 10}%`}
              </Text>
            </View>
          </View>
        )}
      </StateView>
    </>
  );
}
