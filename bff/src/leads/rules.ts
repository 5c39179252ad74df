import { LeadRuleInput } from '@shared/contracts/leads';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';

export type LeadRuleView = ReviewedView<LeadRuleInput> & { live: LeadRuleInput };

export function createLeadRuleRepository(db: Database, clock: Clock, faults: Faults) {
  return createReviewedRepository<LeadRuleInput, object>(
    db,
    clock,
    { name: 'lead_rule', viewCollection: 'lead_rules', window: (r) => ({ start: new Date(r.schedule.startAt), end: new Date(r.schedule.endAt) }), extra: () => ({}) },
    faults,
  );
}
export type LeadRuleRepository = ReturnType<typeof createLeadRuleRepository>;

/** 商机规则 are reviewed like activities: a second person approves each (banned wording checked in the suggestion) before it makes leads. */
export function createLeadRuleAdmin(deps: ReviewPlatformDeps & { rules: LeadRuleRepository; onChanged: () => void }) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.rules,
    schema: LeadRuleInput,
    label: '商机规则',
    errors: REVIEW_ERRORS,
    events: { published: EventName.LEAD_RULE_PUBLISHED, withdrawn: EventName.LEAD_RULE_WITHDRAWN, idField: 'ruleId' },
    onApproved: async () => deps.onChanged(),
  });
}
export type LeadRuleAdmin = ReturnType<typeof createLeadRuleAdmin>;

/** CSV columns: `event`, `conditions`, `repeat` and `schedule` as JSON. */
export const csvRowToLeadRule = csvRowReader({ json: new Set(['event', 'conditions', 'repeat', 'schedule']), numbers: new Set(['windowDays', 'slaHours']) });
