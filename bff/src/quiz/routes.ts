import { MyQuiz, QuizAnswers, QuizResult } from '../../../shared/contracts/quiz';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
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
  ];
}
