import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { TargetingService } from '@/targeting';
import type { TaskService } from '@/tasks';
import { createLifeServiceAdmin, createLifeServiceRepository } from './catalogue';
import { createLifeHome } from './home';
import { lifeRoutes } from './routes';

/** 生活: the reviewed catalogue of life-scenario services and the customer's grid. */
export function lifeModule(ctx: AppContext, deps: { targeting: TargetingService; tasks: TaskService }) {
  const services = createLifeServiceRepository(ctx.db, ctx.clock, ctx.faults);
  const allowlist = ctx.config.webviewDomains;
  const admin = createLifeServiceAdmin({ ...ctx, services, bannedWords: ctx.config.bannedWords, allowlist });
  const home = createLifeHome({ clock: ctx.clock, services, customers: ctx.customers, targeting: deps.targeting, tasks: deps.tasks, allowlist });
  const module: CapabilityModule = {
    name: 'life',
    routes: lifeRoutes({ admin, home }),
    sweeps: { serviceSteps: () => admin.recover() },
    seedDemo: async () => (await import('../../demo/life')).seedDemoLifeServices(admin),
    ensureIndexes: () => services.ensureIndexes(),
  };
  return { module, admin, home };
}
