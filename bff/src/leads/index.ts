import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createLeadBook } from './book';
import { createLeadEngine, type Titles } from './engine';
import { leadRoutes } from './routes';
import { createLeadRuleAdmin, createLeadRuleRepository } from './rules';

/**
 * 商机: reviewed rules turn a customer's event into a follow-up lead for their relationship
 * manager, once per rule, customer and window, with an SLA after which it goes to the branch.
 */
export function leadsModule(
  ctx: AppContext,
  deps: {
    /** The customer's relationship manager now (referrals' manager book), read fresh. */
    managerOf: (customerId: string) => Promise<string | null>;
    /** Agreed to the privacy policy in force and asked for no deletion, read fresh. */
    mayContact: (customerId: string) => Promise<boolean>;
    /** A mall item's and an activity's title, to say what an app event was about. */
    titles: Titles;
  },
) {
  // Personalised marketing (PIPL art. 24) as well as consent, both read from the database each time.
  const mayMarket = async (customerId: string) => {
    const [customer, contactable] = await Promise.all([ctx.customers.findById(customerId), deps.mayContact(customerId)]);
    return customer !== null && customer.personalized && contactable;
  };
  const rules = createLeadRuleRepository(ctx.db, ctx.clock, ctx.faults);
  const book = createLeadBook({ ...ctx, mayMarket });
  const engine = createLeadEngine({ ...ctx, rules, book, managerOf: deps.managerOf, mayMarket, titles: deps.titles });
  const admin = createLeadRuleAdmin({ ...ctx, rules, bannedWords: ctx.config.bannedWords, onChanged: engine.forget });
  ctx.events.subscribe('leads', { handle: engine.observe, wants: engine.listensTo });
  const module: CapabilityModule = {
    name: 'leads',
    routes: leadRoutes({ admin, book }),
    sweeps: { pending: () => engine.recover(), sla: () => book.sweep(), ruleSteps: () => admin.recover() },
    jobs: { rulesPruned: () => rules.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/leads')).seedDemoLeads(admin, ctx.clock, engine.observe),
    ensureIndexes: async () => {
      await rules.ensureIndexes();
      await engine.ensureIndexes();
      await book.ensureIndexes();
    },
  };
  return { module, engine, book, admin };
}
