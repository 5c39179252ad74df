import { z } from 'zod';
import { Reward } from './activities';

/** A quiz as the customer sees it: the questions without their answers. */
export const MyQuiz = z
  .object({
    activityId: z.string(),
    title: z.string(),
    questions: z.array(z.object({ text: z.string(), options: z.array(z.string()) })),
    passScore: z.number().int(),
    reward: Reward.nullable(),
    passed: z.boolean(),
    attemptsLeftToday: z.number().int(),
  })
  .meta({ id: 'MyQuiz' });
export type MyQuiz = z.infer<typeof MyQuiz>;

export const QuizAnswers = z.object({ answers: z.array(z.number().int().min(0).max(5)).min(1).max(50) });

export const QuizResult = z
  .object({
    score: z.number().int(),
    total: z.number().int(),
    passed: z.boolean(),
    attemptsLeftToday: z.number().int(),
    /** Which answers were right: shown once the quiz is passed, so failing attempts do not leak the key. */
    correct: z.array(z.boolean()).nullable(),
    rewarded: z.boolean(),
  })
  .meta({ id: 'QuizResult' });
export type QuizResult = z.infer<typeof QuizResult>;
