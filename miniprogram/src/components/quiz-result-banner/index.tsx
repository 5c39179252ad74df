import { View, Text } from '@tarojs/components';
import './index.scss';

/** The head of a quiz result: the score, large, and what it means (passed, the reward, or the mark missed). */
export function QuizResultBanner({ score, total, passed, verdict }: { score: number; total: number; passed: boolean; verdict: string }) {
  return (
    <View className={`quiz-result-banner ${passed ? 'quiz-result-banner--pass' : ''}`} data-testid="quiz-result">
      <Text className="quiz-result-banner__score">
        {score}/{total}
      </Text>
      <Text className="quiz-result-banner__verdict">{verdict}</Text>
    </View>
  );
}
