import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { checkinRoutes } from './routes';
import { createCheckinService } from './service';

/** Daily check-in with streak bonuses and paid make-ups. */
export function checkinModule(ctx: AppContext) {
  const service = createCheckinService({ db: ctx.db, clock: ctx.clock, points: ctx.points, schedule: ctx.config.checkinSchedule, makeup: ctx.config.checkinMakeup, faults: ctx.faults });
  const module: CapabilityModule = { name: 'checkin', routes: checkinRoutes(service), ensureIndexes: () => service.ensureIndexes() };
  return { module, service };
}
