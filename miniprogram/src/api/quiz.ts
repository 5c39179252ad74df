import type { MyQuiz, QuizResult } from '../../../shared/contracts/quiz';
import type { AttemptResult, Leaderboard, QuizAttempt } from '../../../shared/contracts/quiz-bank';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export const getQuiz = (activityId: string) => apiRequest<MyQuiz>('GET', `/activities/${encodeURIComponent(activityId)}/quiz`);
export const answerQuiz = (activityId: string, answers: number[]) =>
  trackAfter('quiz_submit', (r) => ({ activityId, props: { passed: r.passed } }), apiRequest<QuizResult>('POST', `/activities/${encodeURIComponent(activityId)}/quiz/answers`, { answers }));

/** Starts an attempt at a quiz drawn from banks: questions without answers, and a deadline. */
export const startQuizAttempt = (activityId: string) => apiRequest<QuizAttempt>('POST', `/activities/${encodeURIComponent(activityId)}/quiz/attempts`);
export const submitQuizAttempt = (activityId: string, attemptId: string, answers: number[][]) =>
  trackAfter(
    'quiz_submit',
    (r) => ({ activityId, props: { passed: r.passed } }),
    apiRequest<AttemptResult>('POST', `/activities/${encodeURIComponent(activityId)}/quiz/attempts/${encodeURIComponent(attemptId)}/answers`, { answers }),
  );

/** This or last week's board of a bank quiz, with my own place. */
export const getQuizLeaderboard = (activityId: string, week: 'current' | 'previous') =>
  apiRequest<Leaderboard>('GET', `/activities/${encodeURIComponent(activityId)}/quiz/leaderboard?week=${week}`);
