import { MyQuiz, QuizAnswers, QuizResult } from '../../../shared/contracts/quiz';
import { AttemptAnswers, AttemptParams, AttemptResult, Leaderboard, LeaderboardQuery, QuizAttempt } from '../../../shared/contracts/quiz-bank';
import { Role } from '../../../shared/roles';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { QuizService } from './service';

export function quizRoutes(service: QuizService) {
  return [
    defineRoute({
      method: 'get',
      path: '/activities/:id/quiz',
      operationId: 'getMyQuiz',
      summary: '答题活动的题目（不含答案）与今日剩余次数',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The quiz', schema: MyQuiz } },
      handler: ({ principal, params }) => service.get(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/quiz/answers',
      operationId: 'answerMyQuiz',
      summary: '提交答案：服务端判分，通过即发放奖励（每人一次）并完成答题任务',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: QuizAnswers,
      responses: { 200: { description: 'Graded', schema: QuizResult } },
      handler: ({ principal, params, body }) => service.answer(principal!.id, params.id, body.answers),
    }),
    defineRoute({
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
      handler: ({ principal, params }) => service.start(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/quiz/attempts/:attemptId/answers',
      operationId: 'submitQuizAttempt',
      summary: '提交本次作答（限时内、仅一次、仅本人）：返回得分、正确答案与解析',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: AttemptParams,
      body: AttemptAnswers,
      responses: { 200: { description: 'Graded, with the right answers and explanations', schema: AttemptResult, links: linksTo(['getQuizLeaderboard'], { id: '$request.path.id' }) } },
      handler: ({ principal, params, body }) => service.submit(principal!.id, params.id, params.attemptId, body.answers),
    }),
    defineRoute({
      method: 'get',
      path: '/activities/:id/quiz/leaderboard',
      operationId: 'getQuizLeaderboard',
      summary: '题库答题周排行榜：每人本周正式作答的最好成绩，分高者在前、同分用时短者在前，昵称脱敏，含我的名次',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      query: LeaderboardQuery,
      responses: { 200: { description: 'The week’s board and my place on it', schema: Leaderboard } },
      handler: ({ principal, params, query, consented }) => service.leaderboard(principal!.id, params.id, query.week, !consented),
    }),
  ];
}
