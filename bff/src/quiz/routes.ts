import { quizApi } from '@shared/contracts/quiz';
import { implement } from '@/platform/http/routes';
import type { QuizService } from './service';

export function quizRoutes(service: QuizService, banks: () => Promise<{ items: { code: string; liveQuestions: number }[] }>) {
  return [
    implement(quizApi.listQuizBanks, banks),
    implement(quizApi.getMyQuiz, ({ principal, params }) => service.get(principal.id, params.id)),
    implement(quizApi.answerMyQuiz, ({ principal, params, body }) => service.answer(principal.id, params.id, body.answers)),
    implement(quizApi.startQuizAttempt, ({ principal, params }) => service.start(principal.id, params.id)),
    implement(quizApi.getOpenQuizAttempt, ({ principal, params }) => service.open(principal.id, params.id)),
    implement(quizApi.submitQuizAttempt, ({ principal, params, body }) => service.submit(principal.id, params.id, params.attemptId, body.answers)),
    implement(quizApi.getQuizLeaderboard, ({ principal, params, query, consented }) => service.leaderboard(principal.id, params.id, query.week, !consented)),
  ];
}
