import { z } from 'zod';
import { Reward } from './activities';
import { RewardState } from './rewards';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints, linksTo } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams } from './common';
import {
  AdminQuestion,
  AttemptAnswers,
  AttemptParams,
  AttemptResult,
  Leaderboard,
  LeaderboardQuery,
  OpenQuizAttempt,
  QUESTION_CSV_NOTE,
  QuestionInput,
  QuizAttempt,
} from './quiz-bank';

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
    attemptsPerDay: z.number().int().describe('Graded attempts a day: used today = attemptsPerDay - attemptsLeftToday (practice after a pass uses none)'),
  })
  .meta({ id: 'MyQuiz' });
export type MyQuiz = z.infer<typeof MyQuiz>;

const QuizAnswers = z.object({ answers: z.array(z.number().int().min(0).max(5)).min(1).max(50) });

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
    /**
     * Which of this attempt's answers were right: once the customer has passed (a failed attempt's flags would give a
     * true/false question's key away), or always for a safety quiz (its lesson is the point); null otherwise.
     */
    correct: z.array(z.boolean()).nullable(),
    /** The right option of each question, when `correct` is shown. */
    answerKey: z.array(z.number().int()).nullable(),
    /** Each question's explanation (null where it has none), when `correct` is shown. */
    explanations: z.array(z.string().nullable()).nullable(),
    /** This pass earned the quiz's reward (paid). */
    rewarded: z.boolean(),
    /** What came of the pass's reward: `exhausted` is 通过，奖励已发完; `none` before a pass or without a reward. */
    rewardState: RewardState,
  })
  .meta({ id: 'QuizResult' });
export type QuizResult = z.infer<typeof QuizResult>;

export const quizQuestionReview = reviewedOperations({
  path: '/admin/quiz/questions',
  tag: 'admin:quiz',
  noun: { one: 'QuizQuestion', many: 'QuizQuestions' },
  label: '题目',
  input: QuestionInput,
  admin: AdminQuestion,
  csvNote: QUESTION_CSV_NOTE,
});

/** A question bank (题库) as a quiz draws from it: its code and how many of its questions are live now. */
export const QuizBank = z.object({ code: z.string(), liveQuestions: z.number().int() }).meta({ id: 'QuizBank' });

export const quizApi = {
  ...byOperationId(quizQuestionReview),
  ...endpoints({
    listQuizBanks: {
      method: 'get',
      path: '/admin/quiz/banks',
      operationId: 'listQuizBanks',
      summary: '题库列表：每个题库的编码与已上线题目数（供答题活动选择题库）',
      tags: ['admin:quiz'],
      access: [Role.ADMIN, Role.REVIEWER],
      responses: { 200: { description: 'Every bank with live questions, by code', schema: z.object({ items: z.array(QuizBank) }) } },
    },
    getMyQuiz: {
      method: 'get',
      path: '/activities/:id/quiz',
      operationId: 'getMyQuiz',
      summary: '答题活动的题目（不含答案）与今日剩余次数',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The quiz', schema: MyQuiz } },
    },
    answerMyQuiz: {
      method: 'post',
      path: '/activities/:id/quiz/answers',
      operationId: 'answerMyQuiz',
      summary: '提交答案：服务端判分，通过即发放奖励（每人一次）并完成答题任务',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: QuizAnswers,
      responses: { 200: { description: 'Graded', schema: QuizResult } },
    },
    startQuizAttempt: {
      method: 'post',
      path: '/activities/:id/quiz/attempts',
      operationId: 'startQuizAttempt',
      summary: '开始一次题库答题：随机抽题（不含答案）并开始计时',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: {
        201: {
          description: 'The attempt, with its questions and deadline',
          schema: QuizAttempt,
          links: linksTo(['submitQuizAttempt'], { id: '$request.path.id', attemptId: '$response.body#/attemptId' }),
        },
      },
    },
    getOpenQuizAttempt: {
      method: 'get',
      path: '/activities/:id/quiz/attempts/open',
      operationId: 'getOpenQuizAttempt',
      summary: '我进行中的题库答题（未提交、未超时）：返回原题目与截止时间，可继续作答，不另占次数；仅本人',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: {
        200: { description: 'My running attempt (null if none), or my latest one that timed out', schema: OpenQuizAttempt },
      },
    },
    submitQuizAttempt: {
      method: 'post',
      path: '/activities/:id/quiz/attempts/:attemptId/answers',
      operationId: 'submitQuizAttempt',
      summary: '提交本次作答（限时内、仅一次、仅本人）：返回得分、正确答案与解析',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: AttemptParams,
      body: AttemptAnswers,
      responses: {
        200: { description: 'Graded, with the right answers and explanations', schema: AttemptResult, links: linksTo(['getQuizLeaderboard'], { id: '$request.path.id' }) },
      },
    },
    getQuizLeaderboard: {
      method: 'get',
      path: '/activities/:id/quiz/leaderboard',
      operationId: 'getQuizLeaderboard',
      summary: '题库答题周排行榜：每人本周正式作答的最好成绩，分高者在前、同分用时短者在前，昵称脱敏，含我的名次',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      query: LeaderboardQuery,
      responses: { 200: { description: 'The week’s board and my place on it', schema: Leaderboard } },
    },
  }),
};
