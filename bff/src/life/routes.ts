import { lifeApi, lifeServiceReview } from '@shared/contracts/life';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToLifeService, type LifeServiceAdmin } from './catalogue';
import type { LifeHomeService } from './home';

export function lifeRoutes(deps: { admin: LifeServiceAdmin; home: LifeHomeService }) {
  return [
    ...reviewedAdminRoutes({ operations: lifeServiceReview, service: deps.admin, csvRow: csvRowToLifeService }),
    implement(lifeApi.getLifeHome, ({ principal, consented }) => deps.home.home(principal.id, !consented)),
    implement(lifeApi.viewLifeService, ({ principal, params }) => deps.home.service(principal.id, params.id)),
    implement(lifeApi.openLifeService, ({ principal, params }) => deps.home.open(principal.id, params.id)),
  ];
}
