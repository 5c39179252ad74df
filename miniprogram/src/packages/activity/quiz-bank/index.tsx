import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { AttemptResult, QuizAttempt } from '@shared/contracts/quiz-bank';
import { getOpenQuizAttempt, getQuiz, startQuizAttempt, submitQuizAttempt } from '@/api/quiz';
import { ApiError } from '@/api/client';
import { useApi } from '@/hooks/useApi';
import { useLeaveGuard } from '@/hooks/useLeaveGuard';
import { StateView } from '@/components/state-view';
import { QuizResultBanner } from '@/components/quiz-result-banner';
import { describeReward, formatTime, minutesSeconds } from '@/utils/format';
import { toastError } from '@/utils/toast';
import { BRAND } from '@/utils/theme';
import '../quiz/index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { passRewardText } from '../quiz/reward-text';
import { attemptsText } from '../quiz/attempts-text';
import { clockOffset, useCountdown, useTimeAnnouncement } from './countdown';
import { dropDraft, pruneDrafts, readDraft, takeStartIntent, writeDraft } from './draft';

const LETTERS = 'ABCDEF';
const FORMAT = { single: '单选', multiple: '多选', truefalse: '判断' } as const;

/** 1:05 → "1 分 5 秒", for a screen reader. */
const spokenTime = (seconds: number) => (seconds >= 60 ? `${Math.floor(seconds / 60)} 分 ${seconds % 60} 秒` : `${seconds} 秒`);

/**
 * 题库答题: questions drawn for this attempt, a clock that stays in sight (by the server's deadline and
 * clock), and the result with every explanation. An attempt runs on the server until its deadline: leaving
 * asks first, and coming back resumes it (the answers chosen so far are kept on the phone).
 */
export default function QuizBankPage() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useApi(() => Promise.all([getQuiz(id), getOpenQuizAttempt(id)]));
  const quiz = data?.[0] ?? null;
  const [attempt, setAttempt] = useState<QuizAttempt | null>(null);
  // The server's clock minus the phone's, from the attempt's answer.
  const [offset, setOffset] = useState(0);
  const [chosen, setChosen] = useState<number[][]>([]);
  const [result, setResult] = useState<AttemptResult | null>(null);
  // An attempt that ran out without a hand-in, said once.
  const [timedOut, setTimedOut] = useState<{ deadline: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The question to bring into view once the questions are drawn (a resumed attempt: where the customer was).
  const [scrollTo, setScrollTo] = useState<number | null>(null);
  // Passed in this visit: the header and buttons say so without a reload.
  const [passedHere, setPassedHere] = useState(false);
  const running = attempt !== null && result === null;
  const seconds = useCountdown(running ? attempt.deadline : null, offset);
  const said = useTimeAnnouncement(seconds, running);
  const submitted = useRef(false);
  const settled = useRef(false);

  function show(a: QuizAttempt, answers: number[][], at: number) {
    submitted.current = false;
    setOffset(clockOffset(a.serverNow));
    setAttempt(a);
    setChosen(a.questions.map((_, i) => answers[i] ?? []));
    setResult(null);
    setTimedOut(null);
    setScrollTo(at);
  }

  async function start() {
    setBusy(true);
    try {
      const started = await startQuizAttempt(id);
      writeDraft({ attemptId: started.attemptId, answers: [], at: 0 });
      show(started, [], 0);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  // On arrival: an attempt still running is resumed as it was (it takes no attempt again); one that ran out
  // while the customer was away is said; otherwise 开始答题 tapped on the activity's page starts one at once.
  useEffect(() => {
    if (!data || settled.current) return;
    settled.current = true;
    const [loaded, open] = data;
    const intended = takeStartIntent(id);
    pruneDrafts();
    if (open.attempt) {
      const draft = readDraft(open.attempt.attemptId);
      show(open.attempt, draft?.answers ?? [], draft?.at ?? 0);
    } else if (open.timedOut && readDraft(open.timedOut.attemptId)) {
      dropDraft(open.timedOut.attemptId);
      setTimedOut({ deadline: open.timedOut.deadline });
    } else if (intended && (loaded.passed || loaded.attemptsLeftToday > 0)) void start();
  }, [data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (scrollTo === null) return;
    if (scrollTo > 0) {
      // H5: the page's own scroller, whichever it is (Taro's pageScrollTo measures from the wrong parent there), once the
      // page has slid in (while it slides it carries a transform, and the fixed bar would ride along with the scroll).
      const target = `quiz-q-${scrollTo}`;
      if (process.env.TARO_ENV === 'h5') setTimeout(() => document.getElementById(target)?.scrollIntoView({ block: 'start' }), 350);
      else void Taro.pageScrollTo({ selector: `#quiz-q-${scrollTo}`, duration: 0 });
    }
    setScrollTo(null);
  }, [scrollTo]);

  function choose(qi: number, oi: number) {
    if (!attempt) return;
    const multiple = attempt.questions[qi].format === 'multiple';
    const mine = chosen[qi];
    const next = multiple ? (mine.includes(oi) ? mine.filter((o) => o !== oi) : [...mine, oi]) : [oi];
    const answers = chosen.map((c, i) => (i === qi ? next : c));
    setChosen(answers);
    writeDraft({ attemptId: attempt.attemptId, answers, at: qi });
  }

  async function submit() {
    if (!attempt || submitted.current) return;
    submitted.current = true;
    setBusy(true);
    try {
      const graded = await submitQuizAttempt(id, attempt.attemptId, chosen);
      dropDraft(attempt.attemptId);
      setResult(graded);
      if (graded.passed || graded.practice) setPassedHere(true);
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'QUIZ_ATTEMPT_EXPIRED') {
        // Past the deadline (the phone slept through it): the attempt is over, unscored.
        dropDraft(attempt.attemptId);
        setAttempt(null);
        setTimedOut({ deadline: attempt.deadline });
        void Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
      } else {
        submitted.current = false;
        toastError(err);
      }
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

  // Time is up: said, and what was chosen is handed in (the server allows a moment's delay, no more).
  useEffect(() => {
    if (!running || seconds > 0 || submitted.current || Date.parse(attempt.deadline) > Date.now() + offset) return;
    Taro.showToast({ title: '答题时间到，已为您自动提交', icon: 'none', duration: 2500 });
    void submit();
  }, [seconds]); // eslint-disable-line react-hooks/exhaustive-deps

  // Leaving while the clock runs asks first, and says what is true: the attempt goes on without the customer.
  useLeaveGuard(
    running && !busy
      ? `答题尚未提交，离开后本次作答计时继续，可在 ${formatTime(attempt.deadline)} 前回来继续；超时未提交的作答不计分${attempt.practice ? '' : '，本次已计入今日次数'}。`
      : null,
  );

  const answered = chosen.filter((c) => c.length > 0).length;
  const passed = Boolean(quiz?.passed) || passedHere;
  // The freshest count the BFF gave: the result's, else the attempt's, else the quiz's.
  const left = result?.attemptsLeftToday ?? attempt?.attemptsLeftToday ?? quiz?.attemptsLeftToday ?? 0;
  const canStart = passed || left > 0;
  const openBoard = () => void Taro.navigateTo({ url: `/packages/activity/leaderboard/index?id=${encodeURIComponent(id)}` });

  return (
    <View className={`quiz-page ${running ? 'quiz-page--timed' : ''}`}>
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可参与答题">
        {quiz && (
          <>
            <View className="quiz-page__head">
              <Text className="quiz-page__title">{quiz.title}</Text>
              <Text className="quiz-page__meta" data-testid="quiz-rules">
                每次从题库随机抽 {quiz.bank?.count ?? 0} 题，限时 {minutesSeconds(quiz.bank?.timeLimitSeconds ?? 0)}，答对 {quiz.passScore} 题即通过
                {quiz.reward ? `，${describeReward(quiz.reward, '完成得')}` : ''}。
              </Text>
              <Text className="quiz-page__meta" data-testid="quiz-attempts">
                {attemptsText(passed, left, quiz.attemptsPerDay)}
              </Text>
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
                  {canStart && (
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
                  <View key={q.code} id={`quiz-q-${qi}`} className="quiz-page__question" data-testid={`quiz-question-${qi}`}>
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
                  <View className="quiz-page__status" data-testid="quiz-progress">
                    <Text>
                      已答 {answered}/{attempt.questions.length} ·{' '}
                    </Text>
                    <View
                      className={`quiz-page__clock ${seconds <= 60 ? 'quiz-page__clock--low' : ''}`}
                      role="timer"
                      aria-label={`剩余时间 ${spokenTime(seconds)}`}
                      data-testid="quiz-countdown"
                    >
                      剩余时间 {minutesSeconds(seconds)}
                    </View>
                  </View>
                  <View className="quiz-page__announce" aria-live="assertive" data-testid="quiz-time-announcement">
                    {said}
                  </View>
                  <Button type="primary" block loading={busy} disabled={busy} onClick={confirmSubmit} data-testid="quiz-submit">
                    {busy ? '提交中…' : `提交答案（${answered}/${attempt.questions.length}）`}
                  </Button>
                </View>
              </>
            ) : (
              <>
                {timedOut && (
                  <View className="quiz-page__notice" data-testid="quiz-timed-out">
                    <Text className="quiz-page__notice-title">本次作答已超时</Text>
                    <Text className="quiz-page__notice-text">
                      作答截止于 {formatTime(timedOut.deadline)}，超时未提交的作答不计分{passed ? '' : '，所用次数不退回'}。
                      {canStart ? '您可以重新开始答题。' : '今日次数已用完，明天再来吧。'}
                    </Text>
                  </View>
                )}
                <View className="quiz-page__actions">
                  <Button type="primary" block loading={busy} disabled={busy || !canStart} onClick={start} data-testid="quiz-start">
                    {!canStart ? '今日次数已用完' : timedOut ? '重新开始答题' : '开始答题'}
                  </Button>
                  <Button block onClick={openBoard} data-testid="quiz-board">
                    本周排行榜
                  </Button>
                </View>
              </>
            )}
          </>
        )}
      </StateView>
    </View>
  );
}
