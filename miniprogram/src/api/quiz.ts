import type { MyQuiz, QuizResult } from '../../../shared/contracts/quiz';
import { apiRequest } from './client';

export const getQuiz = (activityId: string) => apiRequest<MyQuiz>('GET', `/activities/${encodeURIComponent(activityId)}/quiz`);
export const answerQuiz = (activityId: string, answers: number[]) => apiRequest<QuizResult>('POST', `/activities/${encodeURIComponent(activityId)}/quiz/answers`, { answers });
