import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { MyQuiz, QuizResult } from '@shared/contracts/quiz';
import { answerQuiz, getQuiz } from '@/api/quiz';
import { useApi } from '@/hooks/useApi';
import { StateView } from '@/components/state-view';
import { QuizResultBanner } from '@/components/quiz-result-banner';
import { describeReward } from '@/utils/format';
import { toastError } from '@/utils/toast';
import './index.scss';
import { PrivacyGate } from '@/components/privacy-gate';
import { passRewardText } from './reward-text';
import { attemptsText } from './attempts-text';

const LETTERS = 'ABCDEF';

/** What this attempt came to, in one sentence that is true for this attempt. */
function verdictOf(quiz: MyQuiz, result: QuizResult): string {
  const scored = `答对 ${result.score}/${result.total} 题`;
  if (result.practice) return `练习：${scored}${result.passed ? '' : `，未达到 ${result.passScore} 题`}。您已通过本答题，练习不计次数、不发奖励。`;
  if (result.passed) return `${scored}，恭喜通过！${passRewardText(quiz.reward, result.rewardState, result.rewarded)}`;
  const left = result.attemptsLeftToday > 0 ? `今日还可再答 ${result.attemptsLeftToday} 次` : '今日次数已用完，明天再来吧';
  return `${scored}，未达到 ${result.passScore} 题。${left}`;
}

export default function QuizPage() {
  const id = useRouter().params.id ?? '';
  const { data: quiz, error, loading, reload } = useApi(() => getQuiz(id));
  // A quiz drawn from banks is answered attempt by attempt, against a clock, on its own page.
  useEffect(() => {
    if (quiz?.bank) void Taro.redirectTo({ url: `/packages/activity/quiz-bank/index?id=${encodeURIComponent(id)}` });
  }, [quiz, id]);
  const [answers, setAnswers] = useState<(number | null)[]>([]);
  const [result, setResult] = useState<QuizResult | null>(null);
  const [busy, setBusy] = useState(false);
  // Passed during this visit: the quiz as loaded does not know it yet.
  const [passedHere, setPassedHere] = useState(false);

  const chosen = (i: number) => answers[i] ?? null;
  const complete = quiz !== null && quiz.questions.every((_, i) => chosen(i) !== null);
  const passedBefore = (quiz?.passed ?? false) || passedHere;
  const attemptsLeft = result?.attemptsLeftToday ?? quiz?.attemptsLeftToday ?? 0;
  const canAnswer = passedBefore || attemptsLeft > 0;

  function choose(question: number, option: number) {
    const next = [...answers];
    next[question] = option;
    setAnswers(next);
  }

  async function submit() {
    if (!quiz || !complete || busy) return;
    setBusy(true);
    try {
      const answered = await answerQuiz(quiz.activityId, answers as number[]);
      setResult(answered);
      if (answered.passed || answered.practice) setPassedHere(true);
      // The result replaces the questions: shown from the top, not below the fold.
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  function again() {
    setAnswers([]);
    setResult(null);
  }

  return (
    <View className="quiz-page">
      <PrivacyGate />
      <StateView loading={loading} error={error} onRetry={reload} consentText="同意隐私政策后可参与答题">
        {quiz && !quiz.bank && (
          <>
            <View className="quiz-page__head">
              <Text className="quiz-page__title">{quiz.title}</Text>
              <Text className="quiz-page__meta" data-testid="quiz-rules">
                共 {quiz.questions.length} 题，答对 {quiz.passScore} 题即通过{quiz.reward ? `，${describeReward(quiz.reward, '完成得')}` : ''}。
              </Text>
              <Text className="quiz-page__meta" data-testid="quiz-attempts">
                {attemptsText(passedBefore, attemptsLeft, quiz.attemptsPerDay)}
              </Text>
            </View>
            {result ? (
              <View data-testid="quiz-result-screen">
                <QuizResultBanner score={result.score} total={result.total} passed={result.passed} verdict={verdictOf(quiz, result)} />
                {quiz.questions.map((q, qi) => {
                  // Before a pass the BFF says only the score: which answers were right would give the key away.
                  const right = result.correct?.[qi];
                  const key = result.answerKey?.[qi];
                  const explanation = result.explanations?.[qi];
                  return (
                    <View key={qi} className="quiz-page__question" data-testid={`quiz-review-${qi}`}>
                      <Text className="quiz-page__text">
                        {qi + 1}. {q.text}
                      </Text>
                      <Text className={`quiz-page__mark${right === undefined ? '' : ` quiz-page__mark--${right ? 'right' : 'wrong'}`}`}>
                        {right === undefined ? '您的答案' : right ? '✓ 回答正确' : '✗ 回答错误'}：您选了 {LETTERS[chosen(qi) ?? 0]}. {q.options[chosen(qi) ?? 0]}
                      </Text>
                      {!right && key !== undefined && (
                        <Text className="quiz-page__key" data-testid={`quiz-key-${qi}`}>
                          正确答案：{LETTERS[key]}. {q.options[key]}
                        </Text>
                      )}
                      {explanation && (
                        <Text className="quiz-page__explanation" data-testid={`quiz-explanation-${qi}`}>
                          解析：{explanation}
                        </Text>
                      )}
                    </View>
                  );
                })}
                {result.answerKey === null && <Text className="quiz-page__hint">通过后可查看每题对错与正确答案。</Text>}
                <View className="quiz-page__actions">
                  {canAnswer && (
                    <Button type="primary" block data-testid="quiz-again" onClick={again}>
                      {passedBefore ? '再练一次' : '再答一次'}
                    </Button>
                  )}
                  {result.rewarded && (
                    <Button block data-testid="quiz-to-mall" onClick={() => void Taro.switchTab({ url: '/pages/mall/index' })}>
                      去积分商城用积分
                    </Button>
                  )}
                  <Button block data-testid="quiz-back" onClick={() => void Taro.navigateBack()}>
                    返回活动
                  </Button>
                </View>
              </View>
            ) : (
              <>
                {quiz.questions.map((q, qi) => (
                  <View key={qi} className="quiz-page__question">
                    <Text className="quiz-page__text">
                      {qi + 1}. {q.text}
                    </Text>
                    {q.options.map((o, oi) => (
                      <Text
                        key={oi}
                        className={`quiz-page__option ${chosen(qi) === oi ? 'quiz-page__option--on' : ''}`}
                        data-testid={`quiz-option-${qi}-${oi}`}
                        onClick={() => choose(qi, oi)}
                      >
                        {LETTERS[oi]}. {o}
                      </Text>
                    ))}
                  </View>
                ))}
                <View className="quiz-page__bar">
                  <Button type="primary" block className="quiz-page__submit" disabled={!complete || busy || !canAnswer} loading={busy} data-testid="quiz-submit" onClick={submit}>
                    {!canAnswer ? '今日次数已用完' : busy ? '提交中…' : complete ? '提交答案' : '请完成全部题目'}
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
