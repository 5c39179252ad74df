import { leadRuleReview, leadsApi } from '@shared/contracts/leads';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import type { LeadBook } from './book';
import { csvRowToLeadRule, type LeadRuleAdmin } from './rules';

export function leadRoutes(deps: { admin: LeadRuleAdmin; book: LeadBook }) {
  return [
    ...reviewedAdminRoutes({ operations: leadRuleReview, service: deps.admin, csvRow: csvRowToLeadRule }),
    implement(leadsApi.listMyLeads, ({ principal, query }) => deps.book.mine(principal.id, query)),
    implement(leadsApi.followUpMyLead, ({ principal, params, body }) => deps.book.followUp(principal, params.id, body)),
    implement(leadsApi.listLeads, ({ principal, query }) => deps.book.list(principal, query)),
  ];
}
