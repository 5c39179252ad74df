import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { QuizResult } from '../../../../shared/contracts/quiz';
import { answerQuiz, getQuiz } from '../../api/quiz';
import { useApi } from '../../hooks/useApi';
import { StateView } from '../../components/state-view';
import { describeReward } from '../../utils/format';
import { toastError } from '../../utils/toast';
import './index.scss';

const LETTERS = 'ABCDEF';

export default function QuizPage() {
  const id = useRouter().params.id ?? '';
  const { data: quiz, error, loading, reload } = useApi(() => getQuiz(id));
  const [answers, setAnswers] = useState<(number | null)[]>([]);
  const [result, setResult] = useState<QuizResult | null>(null);
  const [busy, setBusy] = useState(false);

  const chosen = (i: number) => answers[i] ?? null;
  const complete = quiz !== null && quiz.questions.every((_, i) => chosen(i) !== null);

  function choose(question: number, option: number) {
    const next = [...answers];
    next[question] = option;
    setAnswers(next);
    setResult(null);
  }

  async function submit() {
    if (!quiz || !complete) return;
    setBusy(true);
    try {
      setResult(await answerQuiz(quiz.activityId, answers as number[]));
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='quiz-page'>
      <StateView loading={loading} error={error} onRetry={reload}>
        {quiz && (
          <>
            <View className='quiz-page__head'>
              <Text className='quiz-page__title'>{quiz.title}</Text>
              <Text className='quiz-page__meta'>
                共 {quiz.questions.length} 题，答对 {quiz.passScore} 题即通过{quiz.reward ? `，${describeReward(quiz.reward, '完成得')}` : ''}。今日还可作答 {result?.attemptsLeftToday ?? quiz.attemptsLeftToday} 次。
              </Text>
            </View>
            {quiz.questions.map((q, qi) => (
              <View key={qi} className='quiz-page__question'>
                <Text className='quiz-page__text'>
                  {qi + 1}. {q.text}
                </Text>
                {q.options.map((o, oi) => {
                  const picked = chosen(qi) === oi;
                  const verdict = result?.correct && picked ? (result.correct[qi] ? 'right' : 'wrong') : '';
                  return (
                    <Text
                      key={oi}
                      className={`quiz-page__option ${picked ? 'quiz-page__option--on' : ''} ${verdict ? `quiz-page__option--${verdict}` : ''}`}
                      data-testid={`quiz-option-${qi}-${oi}`}
                      onClick={() => choose(qi, oi)}
                    >
                      {LETTERS[oi]}. {o}
                    </Text>
                  );
                })}
              </View>
            ))}
            {result && (
              <View className={`quiz-page__result ${result.passed ? 'quiz-page__result--pass' : ''}`} data-testid='quiz-result'>
                <Text>
                  {result.passed
                    ? `答对 ${result.score}/${result.total} 题，恭喜通过！${result.rewarded && quiz.reward ? describeReward(quiz.reward, '完成得').replace('完成得', '已获得') : ''}`
                    : `答对 ${result.score}/${result.total} 题，未达到 ${quiz.passScore} 题，再试一次吧`}
                </Text>
              </View>
            )}
            <View className='quiz-page__bar'>
              <Button type='primary' block disabled={!complete || busy} loading={busy} data-testid='quiz-submit' onClick={submit}>
                {complete ? '提交答案' : '请完成全部题目'}
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
