import { z } from 'zod';
import { Reward } from './activities';
import { RewardState } from './rewards';

/** A quiz as the customer sees it: the questions without their answers. */
export const MyQuiz = z
  .object({
    activityId: z.string(),
    title: z.string(),
    questions: z.array(z.object({ text: z.string(), options: z.array(z.string()) })).describe('Empty for a quiz drawn from banks: its questions come with each attempt'),
    bank: z.object({ count: z.number().int(), timeLimitSeconds: z.number().int() }).nullable().describe('Drawn from banks: questions per attempt and the time limit'),
    passScore: z.number().int(),
    reward: Reward.nullable(),
    passed: z.boolean(),
    attemptsLeftToday: z.number().int(),
  })
  .meta({ id: 'MyQuiz' });
export type MyQuiz = z.infer<typeof MyQuiz>;

export const QuizAnswers = z.object({ answers: z.array(z.number().int().min(0).max(5)).min(1).max(50) });

/** One attempt's result. */
export const QuizResult = z
  .object({
    /** What this attempt scored, and whether this attempt reached the pass mark. */
    score: z.number().int(),
    total: z.number().int(),
    passScore: z.number().int(),
    passed: z.boolean(),
    /** Answered after the customer had already passed: no attempt used, no reward. */
    practice: z.boolean(),
    attemptsLeftToday: z.number().int(),
    /** Which of this attempt's answers were right: only once the customer has passed (a failed attempt's flags would give a true/false question's key away); null before. */
    correct: z.array(z.boolean()).nullable(),
    /** The right option of each question: only once the customer has passed, so failing attempts do not reveal the key. */
    answerKey: z.array(z.number().int()).nullable(),
    /** This pass earned the quiz's reward (paid). */
    rewarded: z.boolean(),
    /** What came of the pass's reward: `exhausted` is 通过，奖励已发完; `none` before a pass or without a reward. */
    rewardState: RewardState,
  })
  .meta({ id: 'QuizResult' });
export type QuizResult = z.infer<typeof QuizResult>;
