import type { ActivityCustomerService } from '@/activities';
import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import type { RewardEngine } from '@/rewards';
import { maskedDisplayName } from '@shared/masking';
import { createLeaderboard } from './leaderboard';
import { banksOf, createBankReader, createQuestionAdmin, createQuestionRepository, csvRowToQuestion } from './questions';
import { quizRoutes } from './routes';
import { createQuizService } from './service';
import { quizQuestionReview } from '@shared/contracts/quiz';

/** Quiz activities: inline or drawn from reviewed question banks, attempts per day, answers checked on the server, a reward once passed. */
export function quizModule(ctx: AppContext, deps: { activities: ActivityCustomerService; rewards: RewardEngine }) {
  const questions = createQuestionRepository(ctx.db, ctx.clock, ctx.faults);
  const questionAdmin = createQuestionAdmin({ ...ctx, questions, bannedWords: ctx.config.bannedWords });
  const leaderboard = createLeaderboard(ctx.db, ctx.clock, ctx.faults);
  const service = createQuizService({
    db: ctx.db,
    clock: ctx.clock,
    ...deps,
    outbox: ctx.outbox,
    attemptsPerDay: ctx.config.quizAttemptsPerDay,
    rateLimiter: ctx.rateLimiter,
    answersPerMinute: ctx.config.rateLimits.quizAnswersPerMinute,
    bank: createBankReader(questions, ctx.clock),
    leaderboard,
    publicName: async (customerId) => {
      const customer = await ctx.customers.findById(customerId);
      return customer ? maskedDisplayName(customer) : '微信用户';
    },
    faults: ctx.faults,
    books: ctx.jobBooks,
  });
  // What a quiz promised (passes finished, submissions graded, rewards settled) is part of its books.
  deps.rewards.addCheck((activityId) => service.check(activityId));
  const module: CapabilityModule = {
    name: 'quiz',
    routes: [
      ...quizRoutes(service, () => banksOf(questions, ctx.clock.now())),
      ...reviewedAdminRoutes({ operations: quizQuestionReview, service: questionAdmin, csvRow: csvRowToQuestion }),
    ],
    sweeps: {
      // Lifecycle steps of reviewed questions cut short after their entry (view, events).
      questionSteps: () => questionAdmin.recover(),
      // Passes decided and bank-quiz submissions stored before a crash: finished once, each alone.
      passes: () => service.recoverPasses(),
      submissions: () => service.recoverSubmissions(),
    },
    jobs: { questionsPruned: () => questions.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/quiz')).seedDemoQuestions(questionAdmin),
    ensureIndexes: async () => {
      await questions.ensureIndexes();
      await leaderboard.ensureIndexes();
      await service.ensureIndexes();
    },
  };
  return { module, service, questionAdmin };
}
