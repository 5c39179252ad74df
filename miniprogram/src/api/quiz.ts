import { call } from './client';
import { trackAfter } from './tracking';

export const getQuiz = (activityId: string) => call('getMyQuiz', { params: { id: activityId } });
export const answerQuiz = (activityId: string, answers: number[]) =>
  trackAfter('quiz_submit', (r) => ({ activityId, props: { passed: r.passed } }), call('answerMyQuiz', { params: { id: activityId }, body: { answers } }));

/** Starts an attempt at a quiz drawn from banks: questions without answers, and a deadline. */
export const startQuizAttempt = (activityId: string) => call('startQuizAttempt', { params: { id: activityId } });
/** My running attempt, to resume (it takes no attempt again), or the latest that timed out. */
export const getOpenQuizAttempt = (activityId: string) => call('getOpenQuizAttempt', { params: { id: activityId } });
export const submitQuizAttempt = (activityId: string, attemptId: string, answers: number[][]) =>
  trackAfter('quiz_submit', (r) => ({ activityId, props: { passed: r.passed } }), call('submitQuizAttempt', { params: { id: activityId, attemptId }, body: { answers } }));

/** This or last week's board of a bank quiz, with my own place. */
export const getQuizLeaderboard = (activityId: string, week: 'current' | 'previous') => call('getQuizLeaderboard', { params: { id: activityId }, query: { week } });
