import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import type { ApiState } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';

/**
 * A workbench tab's list: its loading, error, stale and empty states (with the way on an empty
 * list offers), then one row per item. `after`: what shows under the list (a sheet it opens).
 */
export function BenchList<T>({
  state,
  testId,
  emptyText,
  emptyAction,
  children,
  after,
}: {
  state: ApiState<{ items: T[] }>;
  testId: string;
  emptyText: string;
  emptyAction?: { label: string; onClick: () => void };
  children: (item: T) => ReactNode;
  after?: ReactNode;
}) {
  const { data, error, stale, loading, reload } = state;
  return (
    <StateView loading={loading} error={error} stale={stale} onRetry={reload} empty={data?.items.length === 0} emptyText={emptyText} emptyAction={emptyAction}>
      <View className="bench__list" data-testid={testId}>
        {data?.items.map(children)}
      </View>
      {after}
    </StateView>
  );
}
