import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { Leaderboard } from '@shared/contracts/quiz-bank';
import { getQuizLeaderboard } from '@/api/quiz';
import { useApi } from '@/hooks/useApi';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import { StateView } from '@/components/state-view';
import { formatDay, formatTime, minutesSeconds } from '@/utils/format';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';

type Week = 'current' | 'previous';
const WEEKS: { week: Week; label: string }[] = [
  { week: 'current', label: '本周' },
  { week: 'previous', label: '上周' },
];

const toQuiz = (id: string) => void Taro.redirectTo({ url: `/packages/activity/quiz-bank/index?id=${encodeURIComponent(id)}` });

/** A rank as shown: equal results share it, and say so. */
function rankLabel(board: Leaderboard, rank: number): string {
  return board.top.filter((r) => r.rank === rank).length > 1 ? `并列第 ${rank} 名` : `第 ${rank} 名`;
}

function MyPlace({ board, week, onQuiz }: { board: Leaderboard; week: Week; onQuiz: () => void }) {
  if (!board.me) {
    return (
      <View className="board__me" data-testid="board-me">
        <Text className="board__me-text">{week === 'current' ? '本周还没有您的正式成绩，答题后即可上榜。' : '上周您没有参加。'}</Text>
        {week === 'current' && (
          <Button type="primary" size="small" onClick={onQuiz} data-testid="board-go-quiz">
            去答题
          </Button>
        )}
      </View>
    );
  }
  return (
    <View className="board__me" data-testid="board-me">
      <Text className="board__me-rank">{rankLabel(board, board.me.rank)}</Text>
      <Text className="board__me-text">
        我的最好成绩：答对 {board.me.score}/{board.total} 题，用时 {minutesSeconds(board.me.durationSeconds)}（共 {board.participants} 人上榜）
      </Text>
    </View>
  );
}

/** 答题排行榜: the week's best results of a bank quiz, my own place, and last week's board. */
export default function LeaderboardPage() {
  const id = useRouter().params.id ?? '';
  const [week, setWeek] = useState<Week>('current');
  const { data: board, error, stale, loading, reload } = useApi(() => getQuizLeaderboard(id, week), { key: week, cache: `quiz-board:${id}:${week}` });
  usePullToRefresh(reload);

  return (
    <View className="board">
      <PrivacyGate />
      <View className="board__tabs" role="tablist">
        {WEEKS.map((w) => (
          <View
            key={w.week}
            role="tab"
            aria-selected={w.week === week}
            className={`board__tab ${w.week === week ? 'board__tab--on' : ''}`}
            onClick={() => setWeek(w.week)}
            data-testid={`board-tab-${w.week}`}
          >
            {w.label}
          </View>
        ))}
      </View>
      <StateView
        loading={loading}
        error={error}
        stale={stale}
        onRetry={reload}
        empty={board?.participants === 0}
        emptyText={week === 'current' ? '本周还没有人上榜，来做第一名' : '上周没有人上榜'}
        emptyAction={week === 'current' ? { label: '去答题', onClick: () => toQuiz(id) } : { label: '看本周', onClick: () => setWeek('current') }}
      >
        {board && (
          <>
            <View className="board__head">
              <Text className="board__week">
                {formatDay(board.weekStart)} - {formatDay(board.weekEnd)}
              </Text>
              <Text className="board__rules">每人取本周正式作答的最好成绩：答对多者在前，同分用时短者在前；通过后的练习不计入。更新于 {formatTime(board.updatedAt)}。</Text>
            </View>
            <MyPlace board={board} week={week} onQuiz={() => toQuiz(id)} />
            <View className="board__list" data-testid="board-list">
              {board.top.map((row, i) => (
                <View key={i} className={`board__row ${row.me ? 'board__row--me' : ''}`} data-testid="board-row">
                  <View className={`board__rank ${row.rank <= 3 ? `board__rank--${row.rank}` : ''}`} aria-label={rankLabel(board, row.rank)}>
                    {row.rank}
                  </View>
                  <Text className="board__name">
                    {row.name}
                    {row.me ? '（我）' : ''}
                  </Text>
                  <View className="board__result">
                    <Text className="board__score">
                      {row.score}/{board.total} 题
                    </Text>
                    <Text className="board__time">用时 {minutesSeconds(row.durationSeconds)}</Text>
                  </View>
                </View>
              ))}
            </View>
            {board.participants > board.top.length && <Text className="board__more">仅显示前 {board.top.length} 名</Text>}
          </>
        )}
      </StateView>
    </View>
  );
}
