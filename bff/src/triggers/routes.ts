import { triggerReview, triggersApi } from '@shared/contracts/triggers';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToTrigger, type TriggerAdmin } from './admin';
import type { TriggerEngine } from './engine';
import type { Offers } from './offers';

export function triggerRoutes(deps: { admin: TriggerAdmin; engine: TriggerEngine; offers: Offers }) {
  return [
    ...reviewedAdminRoutes({ operations: triggerReview, service: deps.admin, csvRow: csvRowToTrigger }),
    implement(triggersApi.getTriggerStats, async ({ principal, params }) => {
      await deps.admin.get(principal, params.id);
      return deps.engine.stats(params.id);
    }),
    implement(triggersApi.listMyOffers, ({ principal }) => deps.offers.mine(principal.id)),
    implement(triggersApi.dismissMyOffer, async ({ principal, params, body }) => {
      await deps.offers.dismiss(principal.id, params.id, body.hideAll);
    }),
  ];
}
