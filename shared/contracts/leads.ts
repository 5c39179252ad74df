import { z } from 'zod';
import { IdParams, statedRules, trimmedText } from './common';
import { adminDocument } from './review';
import { TriggerCondition, TriggerEvent } from './triggers';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { LEAD_CLOSED_REASONS, LEAD_STATUSES, SLA_STATES } from '../lead-names';
import { FOLLOW_UP_METHODS, FOLLOW_UP_OUTCOMES } from './follow-ups';

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * 商机: a reviewed rule turns a customer's event (a bank report: deposit maturing, a large inflow,
 * salary credited; or an app event: a high-value item viewed twice, a wealth livestream watched)
 * into a follow-up lead for that customer's relationship manager, once per rule, customer and
 * window, never for a customer who switched personalised marketing off or has not agreed to the
 * privacy policy in force. A lead not followed up within its SLA goes to the branch (已升级).
 */
export const LeadRuleInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('lead_rule'),
    orgUnitId: z.string().min(1).max(64).describe('The rule covers customers whose relationship manager works in this unit or below it'),
    name: trimmedText(2).max(40),
    suggestion: trimmedText(2).max(200).describe('What the manager should offer or say; checked for banned wording'),
    event: TriggerEvent,
    conditions: z.array(TriggerCondition).max(5).default([]),
    repeat: z
      .object({
        times: z.number().int().min(1).max(10).default(1).describe('How many matching events make a lead (2: viewed twice)'),
        withinDays: z.number().int().min(1).max(90).default(7).describe('Counted over this many days up to the last of them'),
      })
      .strict()
      .default({ times: 1, withinDays: 7 }),
    windowDays: z.number().int().min(1).max(365).describe('At most one lead per customer in this many days from the event that made the last one'),
    slaHours: z.number().int().min(1).max(720).describe('The manager follows the lead up within this many hours; later, it goes to the branch'),
    schedule: z.object({ startAt: isoDateTime, endAt: isoDateTime }),
  })
  .strict()
  .refine((r) => Date.parse(r.schedule.endAt) > Date.parse(r.schedule.startAt), { message: '结束时间必须晚于开始时间', path: ['schedule', 'endAt'] })
  .describe(statedRules('schedule.endAt after schedule.startAt.'));
export type LeadRuleInput = z.infer<typeof LeadRuleInput>;

const AdminLeadRule = adminDocument(['lead_rule'], 'AdminLeadRule');

export const leadRuleReview = reviewedOperations({
  path: '/admin/lead-rules',
  tag: 'admin:leads',
  noun: { one: 'LeadRule', many: 'LeadRules' },
  label: '商机规则',
  input: LeadRuleInput,
  admin: AdminLeadRule,
  csvNote: 'event、conditions、repeat、schedule 列为 JSON',
});

export { LEAD_STATUSES, leadStatusNamesZh, SLA_STATES, slaStateNamesZh, LEAD_CLOSED_REASONS, leadClosedReasonNamesZh } from '../lead-names';
export type { LeadStatus, SlaState, LeadClosedReason } from '../lead-names';
export { FOLLOW_UP_METHODS, followUpMethodNamesZh, FOLLOW_UP_OUTCOMES, followUpOutcomeNamesZh } from './follow-ups';
export type { FollowUpMethod, FollowUpOutcome } from './follow-ups';

const FollowUp = z.object({
  method: z.enum(FOLLOW_UP_METHODS),
  outcome: z.enum(FOLLOW_UP_OUTCOMES),
  note: z.string().nullable(),
  at: z.string(),
  withinSla: z.boolean(),
});

/** A lead as its manager sees it: the customer masked, why in words, when it is due. */
export const MyLead = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  suggestion: z.string(),
  customerId: z.string(),
  customerName: z.string().describe('Masked'),
  why: z.string().describe('The event in words: 存款即将到期 ¥50,000'),
  eventAt: z.string(),
  createdAt: z.string(),
  dueAt: z.string(),
  status: z.enum(LEAD_STATUSES),
  slaState: z.enum(SLA_STATES),
  followUp: FollowUp.nullable(),
  escalatedAt: z.string().nullable(),
  closedReason: z.enum(LEAD_CLOSED_REASONS).nullable(),
});
export type MyLead = z.infer<typeof MyLead>;
export const MyLeadPage = z.object({ items: z.array(MyLead), nextBefore: z.number().int().nullable() });
export type MyLeadPage = z.infer<typeof MyLeadPage>;

/** A lead as an admin of its subtree sees it: whose it is and where. */
export const AdminLead = MyLead.extend({ rmId: z.string(), rmName: z.string().describe('Masked, as the directory names staff'), unitId: z.string(), unitName: z.string() });
export type AdminLead = z.infer<typeof AdminLead>;
const AdminLeadList = z.object({ items: z.array(AdminLead), nextBefore: z.string().nullable().describe('Pass as `before` for the next page (older leads)') });

const MyLeadQuery = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const AdminLeadQuery = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  unitId: z.string().min(1).max(64).optional().describe('Only leads of managers of this unit and below it'),
  rmId: z.string().min(1).max(64).optional(),
  before: z
    .string()
    // Every string this matches is a date JavaScript reads (a 31 February rolls over): no cursor can break the query.
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z\|[A-Za-z0-9_-]{1,120}$/)
    .optional()
    .describe('Where the page starts: the nextBefore of the page before (older leads)'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const FollowUpInput = z
  .object({
    method: z.enum(FOLLOW_UP_METHODS),
    outcome: z.enum(FOLLOW_UP_OUTCOMES),
    note: z.string().trim().max(200).optional().describe('No personal data (mobile, ID or card numbers): refused 422'),
  })
  .strict();
export type FollowUpInput = z.infer<typeof FollowUpInput>;

export const leadsApi = {
  ...byOperationId(leadRuleReview),
  ...endpoints({
    listMyLeads: {
      method: 'get',
      path: '/rm/leads',
      operationId: 'listMyLeads',
      summary: '我的商机：规则为我服务的客户生成的跟进线索，新的在前（客户脱敏）',
      tags: ['rm'],
      access: [Role.RM] as const,
      query: MyLeadQuery,
      responses: { 200: { description: 'A page', schema: MyLeadPage } },
    },
    followUpMyLead: {
      method: 'post',
      path: '/rm/leads/:id/follow-up',
      operationId: 'followUpMyLead',
      summary: '记录商机跟进（方式、结果、备注），每条商机一次；备注不得含手机号、证件号、卡号',
      tags: ['rm'],
      access: [Role.RM] as const,
      params: IdParams,
      body: FollowUpInput,
      responses: { 200: { description: 'The lead, followed up', schema: MyLead }, 409: { description: 'Already followed up (LEAD_ALREADY_FOLLOWED_UP) or closed (LEAD_CLOSED)' } },
    },
    listLeads: {
      method: 'get',
      path: '/admin/leads',
      operationId: 'listLeads',
      summary: '商机跟进：本机构及下级机构客户经理的商机，可按状态、机构、客户经理筛选（客户脱敏），新的在前',
      tags: ['admin:leads'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      query: AdminLeadQuery,
      responses: { 200: { description: 'Leads', schema: AdminLeadList } },
    },
  }),
};
