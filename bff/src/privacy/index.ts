import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { privacyRoutes } from './routes';
import { createPrivacyService } from './service';

/** Consent to the privacy policy, the gate every customer request passes, and requests to delete one's personal information (PIPL). */
export function privacyModule(ctx: AppContext) {
  const service = createPrivacyService({ db: ctx.db, clock: ctx.clock, outbox: ctx.outbox, books: ctx.jobBooks, policyVersion: ctx.config.privacyPolicyVersion });
  const module: CapabilityModule = {
    name: 'privacy',
    routes: privacyRoutes(service),
    sweeps: { unfinished: () => service.recover() },
    seedDemo: async () => service.seedConsent((await import('../../demo/people')).DEMO_CUSTOMERS.map((c) => c.id)),
  };
  return { module, service };
}
