import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { checkinRoutes } from './routes';
import { createCheckinService } from './service';
import { bankDay } from '@/platform/time';

type CheckinDeps = Parameters<typeof createCheckinService>[0];

/**
 * Daily check-in with streak bonuses and paid make-ups. Its points go to the ledger directly,
 * not through the reward engine: the engine's exactness comes from one budget stream per
 * activity, and check-in has no budget — routed through it, every check-in of the bank would
 * append to one stream, the hottest in the system. Check-in is exactly-once on its own keys
 * instead (one entry per customer and day in the customer's own check-in stream, the ledger
 * entry keyed by it), so it touches only that customer's streams.
 */
export function checkinModule(ctx: AppContext, deps: { onCheckedIn: CheckinDeps['onCheckedIn'] }) {
  const service = createCheckinService({
    db: ctx.db,
    clock: ctx.clock,
    points: ctx.points,
    schedule: ctx.config.checkinSchedule,
    makeup: ctx.config.checkinMakeup,
    faults: ctx.faults,
    onCheckedIn: deps.onCheckedIn,
    joinedOn: async (customerId) => {
      const customer = await ctx.customers.findById(customerId);
      return customer ? bankDay(customer.createdAt) : null;
    },
    books: ctx.jobBooks,
  });
  const module: CapabilityModule = {
    name: 'checkin',
    routes: checkinRoutes(service),
    // Check-ins recorded before a crash and not yet paid (points, draw chances): paid once.
    sweeps: { pending: () => service.recover() },
    ensureIndexes: () => service.ensureIndexes(),
  };
  return { module, service };
}
