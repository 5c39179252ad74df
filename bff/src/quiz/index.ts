import type { ActivityCustomerService } from '../activities/customer-service';
import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import type { RewardEngine } from '../rewards/engine';
import type { TaskService } from '../tasks/service';
import { quizRoutes } from './routes';
import { createQuizService } from './service';

/** Quiz activities: attempts per day, answers checked on the server, a reward once passed. */
export function quizModule(ctx: AppContext, deps: { activities: ActivityCustomerService; rewards: RewardEngine; tasks: TaskService }) {
  const service = createQuizService({
    db: ctx.db,
    clock: ctx.clock,
    ...deps,
    attemptsPerDay: ctx.config.quizAttemptsPerDay,
    rateLimiter: ctx.rateLimiter,
    answersPerMinute: ctx.config.rateLimits.quizAnswersPerMinute,
  });
  const module: CapabilityModule = { name: 'quiz', routes: quizRoutes(service) };
  return { module, service };
}
