import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { TaskService } from '@/tasks';
import { conversionRoutes } from './routes';
import { createConversionService } from './service';

export { conversionEventsBetween, conversionReports } from './service';

/** Conversions the bank's systems report back (signed), completing the tasks and invite qualifications they name. */
export function conversionsModule(
  ctx: AppContext,
  deps: { tasks: TaskService; qualify: (customerId: string, action: 'open_account') => Promise<void>; consented: (customerId: string) => Promise<boolean> },
) {
  const service = createConversionService({
    db: ctx.db,
    clock: ctx.clock,
    customers: ctx.customers,
    appid: ctx.config.wechat.appid,
    tasks: deps.tasks,
    qualify: deps.qualify,
    feed: ctx.events,
    consented: deps.consented,
  });
  const module: CapabilityModule = { name: 'conversions', routes: conversionRoutes(service, ctx.bankSignature) };
  return { module, service };
}
