import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { LedgerEntry } from '../../../../../shared/contracts/points';
import { getMyLedger, getMyPoints, type LedgerDirection } from '../../../api/points';
import { useApi } from '../../../hooks/useApi';
import { StateView } from '../../../components/state-view';
import { formatDate, formatDay } from '../../../utils/format';
import { toastError } from '../../../utils/toast';
import './index.scss';

const TABS: { label: string; direction?: LedgerDirection }[] = [{ label: '全部' }, { label: '收入', direction: 'in' }, { label: '支出', direction: 'out' }];

/** 积分明细: balance, what expires soon, and the statement, filtered by income or spending. */
export default function PointsPage() {
  const [tab, setTab] = useState(0);
  const direction = TABS[tab].direction;
  const { data, error, loading, reload } = useApi(async () => {
    const [points, page] = await Promise.all([getMyPoints(), getMyLedger(undefined, direction)]);
    return { points, items: page.items, next: page.nextBeforeSeq, direction };
  }, { key: direction ?? 'all' });
  const [more, setMore] = useState<{ items: LedgerEntry[]; next: number | null; direction?: LedgerDirection } | null>(null);
  const [busy, setBusy] = useState(false);
  usePullDownRefresh(() => {
    setMore(null);
    reload();
    Taro.stopPullDownRefresh();
  });

  // A page loaded for another tab is not shown under this one.
  const extra = more && more.direction === direction ? more : null;
  const entries = data && data.direction === direction ? [...data.items, ...(extra?.items ?? [])] : [];
  const next = extra ? extra.next : data && data.direction === direction ? data.next : null;

  function choose(i: number) {
    if (i === tab) return;
    setTab(i);
    setMore(null);
  }

  async function loadMore() {
    if (!next || busy) return;
    setBusy(true);
    try {
      const page = await getMyLedger(next, direction);
      setMore({ items: [...(extra?.items ?? []), ...page.items], next: page.nextBeforeSeq, direction });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='points-page'>
      <StateView loading={loading} error={error} onRetry={reload}>
        {data && (
          <>
            <View className='points-page__summary'>
              <Text className='points-page__label'>可用积分</Text>
              <Text className='points-page__balance' data-testid='points-balance'>
                {data.points.balance}
              </Text>
              {data.points.expiringSoon.amount > 0 && (
                <Text className='points-page__expiring'>
                  {data.points.expiringSoon.amount} 积分将于 {formatDay(data.points.expiringSoon.before!)} 前过期
                </Text>
              )}
            </View>
            <View className='points-page__tabs'>
              {TABS.map((t, i) => (
                <Text key={t.label} className={`points-page__tab ${i === tab ? 'points-page__tab--on' : ''}`} data-testid={`points-tab-${t.direction ?? 'all'}`} onClick={() => choose(i)}>
                  {t.label}
                </Text>
              ))}
            </View>
            {entries.length === 0 && data.direction === direction ? (
              <View className='points-page__empty' data-testid='points-empty'>
                <Text>{direction === 'out' ? '还没有积分支出' : '还没有积分记录'}</Text>
                <Text className='points-page__link' onClick={() => void Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
                  去签到赚积分
                </Text>
              </View>
            ) : (
              <View className='points-page__list'>
                {entries.map((e) => (
                  <View key={e.seq} className='points-page__entry' data-testid='points-entry'>
                    <View className='points-page__entry-info'>
                      <Text className='points-page__entry-title'>{e.description}</Text>
                      <Text className='points-page__entry-date'>{formatDate(e.at)}</Text>
                    </View>
                    <Text className={e.amount > 0 ? 'points-page__plus' : 'points-page__minus'}>{e.amount > 0 ? `+${e.amount}` : e.amount}</Text>
                  </View>
                ))}
                {next && (
                  <Text className='points-page__more' data-testid='points-more' onClick={loadMore}>
                    {busy ? '加载中…' : '加载更多'}
                  </Text>
                )}
              </View>
            )}
          </>
        )}
      </StateView>
    </View>
  );
}
