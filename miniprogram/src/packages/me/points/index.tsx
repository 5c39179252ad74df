import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { getMyLedger, getMyPoints, type LedgerDirection } from '@/api/points';
import { useApi } from '@/hooks/useApi';
import { usePagedApi } from '@/hooks/usePagedApi';
import { Skeleton, StateView } from '@/components/state-view';
import { formatDate, formatDay, formatTime } from '@/utils/format';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

const TABS: { label: string; direction?: LedgerDirection }[] = [{ label: '全部' }, { label: '收入', direction: 'in' }, { label: '支出', direction: 'out' }];

/** 积分明细: balance, what expires soon, and the statement, filtered by income or spending. */
export default function PointsPage() {
  const [tab, setTab] = useState(0);
  const direction = TABS[tab].direction;
  const points = useApi(getMyPoints, { cache: 'points' });
  const ledger = usePagedApi((before) => getMyLedger(before, direction).then((p) => ({ items: p.items, next: p.nextBeforeSeq })), { key: direction ?? 'all' });
  usePullToRefresh(() => {
    points.reload();
    ledger.refresh();
  });
  const { items: entries, next, busy, loadMore } = ledger;
  const data = points.data;

  return (
    <View className="points-page">
      <PrivacyGate />
      <StateView loading={points.loading} error={points.error} onRetry={points.reload} consentText="同意隐私政策后可查看您的积分">
        {data && (
          <>
            <View className="points-page__summary">
              <Text className="points-page__label">可用积分</Text>
              <Text className="points-page__balance" data-testid="points-balance">
                {data.balance}
              </Text>
              {data.expiringSoon.amount > 0 && (
                <Text className="points-page__expiring">
                  {data.expiringSoon.amount} 积分将于 {formatDay(data.expiringSoon.before!)} 前过期
                </Text>
              )}
            </View>
            <View className="points-page__tabs">
              {TABS.map((t, i) => (
                <Text
                  key={t.label}
                  className={`points-page__tab ${i === tab ? 'points-page__tab--on' : ''}`}
                  data-testid={`points-tab-${t.direction ?? 'all'}`}
                  onClick={() => setTab(i)}
                >
                  {t.label}
                </Text>
              ))}
            </View>
            {ledger.error ? (
              <StateView error={ledger.error} onRetry={ledger.refresh} />
            ) : ledger.loading ? (
              <Skeleton rows={4} />
            ) : entries.length === 0 ? (
              <View className="points-page__empty" data-testid="points-empty">
                <Text>{direction === 'out' ? '还没有积分支出' : '还没有积分记录'}</Text>
                <Text className="points-page__link" onClick={() => void Taro.navigateTo({ url: '/packages/activity/checkin/index' })}>
                  去签到赚积分
                </Text>
              </View>
            ) : (
              <View className="points-page__list">
                {entries.map((e) => (
                  <View key={e.seq} className="points-page__entry" data-testid="points-entry">
                    <View className="points-page__entry-info">
                      <Text className="points-page__entry-title">{e.description}</Text>
                      <Text className="points-page__entry-date" data-testid="points-entry-at">
                        {formatDate(e.at)} {formatTime(e.at)}
                      </Text>
                      {e.amount > 0 && e.expiresAt && (
                        <Text className="points-page__entry-date" data-testid="points-entry-expiry">
                          {formatDate(e.expiresAt)} 到期
                        </Text>
                      )}
                    </View>
                    <View className="points-page__entry-figures">
                      <Text className={e.amount > 0 ? 'points-page__plus' : 'points-page__minus'}>{e.amount > 0 ? `+${e.amount}` : e.amount}</Text>
                      <Text className="points-page__entry-balance" data-testid="points-entry-balance">
                        余额 {e.balance}
                      </Text>
                    </View>
                  </View>
                ))}
                {next && (
                  <Text className="points-page__more" data-testid="points-more" onClick={loadMore}>
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
