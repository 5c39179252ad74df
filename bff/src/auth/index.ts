import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createAuthRepository } from './repository';
import { authRoutes } from './routes';
import { createAuthService } from './service';

export type { AuthService } from './service';

/** Sign-in for customers (WeChat) and staff (password), refresh-token rotation, sign-out. */
export function authModule(ctx: AppContext) {
  const repository = createAuthRepository(ctx.db);
  const service = createAuthService({ ...ctx, auth: repository });
  // A lockout looks back one window (from the last success at most); twice that is kept.
  const attemptsKeptMs = 2 * ctx.config.staffLockout.minutes * 60_000;
  const module: CapabilityModule = {
    name: 'auth',
    routes: authRoutes(service),
    jobs: { loginAttempts: () => repository.purgeAttemptsBefore(new Date(ctx.clock.now().getTime() - attemptsKeptMs)) },
    ensureIndexes: () => repository.ensureIndexes(),
  };
  return { module, service };
}
