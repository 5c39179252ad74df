import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { AttemptResult, QuizAttempt } from '@shared/contracts/quiz-bank';
import { getQuiz, startQuizAttempt, submitQuizAttempt } from '@/api/quiz';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { QuizResultBanner } from '@/components/quiz-result-banner';
import { describeReward, minutesSeconds } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { BRAND } from '@/utils/theme';
import '../quiz/index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { passRewardText } from '../quiz/reward-text';

const LETTERS = 'ABCDEF';
const FORMAT = { single: '单选', multiple: '多选', truefalse: '判断' } as const;

/** Seconds left until the attempt's deadline, ticking each second; 0 once it has passed. */
function useCountdown(deadline: string | null): number {
  const left = () => (deadline ? Math.max(0, Math.ceil((Date.parse(deadline) - Date.now()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!deadline) return;
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [deadline]); // eslint-disable-line react-hooks/exhaustive-deps
  return seconds;
}

/** 题库答题: questions drawn for this attempt, a countdown, and the result with every explanation. */
export default function QuizBankPage() {
  const id = useRouter().params.id ?? '';
  const { data: quiz, error, loading, reload } = useApi(() => getQuiz(id));
  const [attempt, setAttempt] = useState<QuizAttempt | null>(null);
  const [chosen, setChosen] = useState<number[][]>([]);
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [busy, setBusy] = useState(false);
  // Passed in this visit: the header and buttons say so without a reload.
  const [passedHere, setPassedHere] = useState(false);
  const seconds = useCountdown(attempt && !result ? attempt.deadline : null);
  const submitted = useRef(false);

  async function start() {
    setBusy(true);
    try {
      const started = await startQuizAttempt(id);
      submitted.current = false;
      setAttempt(started);
      setChosen(started.questions.map(() => []));
      setResult(null);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  function choose(qi: number, oi: number) {
    if (!attempt) return;
    const multiple = attempt.questions[qi].format === 'multiple';
    const mine = chosen[qi];
    const next = multiple ? (mine.includes(oi) ? mine.filter((o) => o !== oi) : [...mine, oi]) : [oi];
    setChosen(chosen.map((c, i) => (i === qi ? next : c)));
  }

  async function submit() {
    if (!attempt || submitted.current) return;
    submitted.current = true;
    setBusy(true);
    try {
      const graded = await submitQuizAttempt(id, attempt.attemptId, chosen);
      setResult(graded);
      if (graded.passed) setPassedHere(true);
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
    } catch (err) {
      submitted.current = false;
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirmSubmit() {
    const open = chosen.filter((c) => c.length === 0).length;
    if (open > 0) {
      const { confirm } = await Taro.showModal({ title: '还有题目未作答', content: `还有 ${open} 题未作答，未答的题不得分。确定提交？`, confirmText: '提交', confirmColor: BRAND });
      if (!confirm) return;
    }
    await submit();
  }

  // Time is up: what was chosen is handed in (the server allows a moment's delay, no more).
  useEffect(() => {
    if (attempt && !result && seconds === 0) void submit();
  }, [seconds]); // eslint-disable-line react-hooks/exhaustive-deps

  const answered = chosen.filter((c) => c.length > 0).length;
  const passed = Boolean(quiz?.passed) || passedHere;
  const openBoard = () => void Taro.navigateTo({ url: `/packages/activity/leaderboard/index?id=${encodeURIComponent(id)}` });

  return (
    <View className="quiz-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可参与答题">
        {quiz && (
          <>
            <View className="quiz-page__head">
              <Text className="quiz-page__title">{quiz.title}</Text>
              <Text className="quiz-page__meta" data-testid="quiz-rules">
                每次从题库随机抽 {quiz.bank?.count ?? 0} 题，限时 {minutesSeconds(quiz.bank?.timeLimitSeconds ?? 0)}，答对 {quiz.passScore} 题即通过
                {quiz.reward ? `，${describeReward(quiz.reward, '完成得')}` : ''}。
                {passed ? '您已通过，可继续练习（不计次数、不发奖励）。' : `今日还可作答 ${attempt?.attemptsLeftToday ?? quiz.attemptsLeftToday} 次。`}
              </Text>
              {attempt && !result && (
                <Text className="quiz-page__meta" data-testid="quiz-progress">
                  已答 {answered}/{attempt.questions.length} · 剩余时间 {minutesSeconds(seconds)}
                </Text>
              )}
            </View>
            {result ? (
              <View data-testid="quiz-result-screen">
                <QuizResultBanner
                  score={result.score}
                  total={result.total}
                  passed={result.passed}
                  verdict={`${result.practice ? '练习：' : ''}答对 ${result.score}/${result.total} 题，用时 ${minutesSeconds(result.durationSeconds)}${
                    result.passed
                      ? result.practice
                        ? '，已通过。'
                        : `，恭喜通过！${passRewardText(quiz.reward, result.rewardState, result.rewarded)}`
                      : `，未达到 ${result.passScore} 题。`
                  }`}
                />
                {result.review.map((q, qi) => (
                  <View key={q.code} className="quiz-page__question" data-testid={`quiz-review-${qi}`}>
                    <Text className="quiz-page__text">
                      {qi + 1}. [{FORMAT[q.format]}] {q.text}
                    </Text>
                    <Text className={`quiz-page__mark quiz-page__mark--${q.correct ? 'right' : 'wrong'}`}>
                      {q.correct ? '✓ 回答正确' : '✗ 回答错误'}：您选了 {q.chosen.length ? q.chosen.map((o) => LETTERS[o]).join('、') : '（未作答）'}
                    </Text>
                    <Text className="quiz-page__key">正确答案：{q.answer.map((o) => `${LETTERS[o]}. ${q.options[o]}`).join('；')}</Text>
                    <Text className="quiz-page__hint" data-testid={`quiz-explanation-${qi}`}>
                      解析：{q.explanation}
                    </Text>
                  </View>
                ))}
                <View className="quiz-page__actions">
                  {(passed || result.attemptsLeftToday > 0) && (
                    <Button type="primary" block loading={busy} onClick={start} data-testid="quiz-again">
                      再答一次
                    </Button>
                  )}
                  <Button block onClick={openBoard} data-testid="quiz-board">
                    查看本周排行榜
                  </Button>
                  <Button block onClick={() => void Taro.navigateBack()} data-testid="quiz-back">
                    返回活动
                  </Button>
                </View>
              </View>
            ) : attempt ? (
              <>
                {attempt.questions.map((q, qi) => (
                  <View key={q.code} className="quiz-page__question">
                    <Text className="quiz-page__text">
                      {qi + 1}. [{FORMAT[q.format]}] {q.text}
                    </Text>
                    {q.options.map((o, oi) => (
                      <Text
                        key={oi}
                        className={`quiz-page__option ${chosen[qi]?.includes(oi) ? 'quiz-page__option--on' : ''}`}
                        data-testid={`quiz-option-${qi}-${oi}`}
                        onClick={() => choose(qi, oi)}
                      >
                        {LETTERS[oi]}. {o}
                      </Text>
                    ))}
                  </View>
                ))}
                <View className="quiz-page__bar">
                  <Button type="primary" block loading={busy} disabled={busy} onClick={confirmSubmit} data-testid="quiz-submit">
                    {busy ? '提交中…' : `提交答案（${answered}/${attempt.questions.length}）`}
                  </Button>
                </View>
              </>
            ) : (
              <View className="quiz-page__actions">
                <Button type="primary" block loading={busy} disabled={busy || (!passed && quiz.attemptsLeftToday === 0)} onClick={start} data-testid="quiz-start">
                  {!passed && quiz.attemptsLeftToday === 0 ? '今日次数已用完' : '开始答题'}
                </Button>
                <Button block onClick={openBoard} data-testid="quiz-board">
                  本周排行榜
                </Button>
              </View>
            )}
          </>
        )}
      </StateView>
    </View>
  );
}
