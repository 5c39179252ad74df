import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { createAuthRepository } from './repository';
import { authRoutes } from './routes';
import { createAuthService } from './service';

/** Sign-in for customers (WeChat) and staff (password), refresh-token rotation, sign-out. */
export function authModule(ctx: AppContext) {
  const repository = createAuthRepository(ctx.db);
  const service = createAuthService({ ...ctx, auth: repository });
  const module: CapabilityModule = { name: 'auth', routes: authRoutes(service), ensureIndexes: () => repository.ensureIndexes() };
  return { module, service };
}
