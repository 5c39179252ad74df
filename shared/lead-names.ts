// The words of leads (商机), free of zod like marketing-task-names.ts, so the mini-program names
// them without bundling a schema library: the contract (contracts/leads.ts) uses the same.

export const LEAD_STATUSES = ['open', 'followed_up', 'escalated', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const leadStatusNamesZh: Record<LeadStatus, string> = { open: '待跟进', followed_up: '已跟进', escalated: '已升级', closed: '已关闭' };

/** Where a lead stands against its SLA: open and not yet due, open past due, followed up in time or late, or closed. */
export const SLA_STATES = ['within', 'overdue', 'met', 'missed', 'closed'] as const;
export type SlaState = (typeof SLA_STATES)[number];
export const slaStateNamesZh: Record<SlaState, string> = { within: '时限内', overdue: '已超时', met: '按时跟进', missed: '超时跟进', closed: '已关闭' };

/** Why a lead was closed without a follow-up: the customer opted out, or was handed over to another manager (who got the lead). */
export const LEAD_CLOSED_REASONS = ['opted_out', 'handed_over'] as const;
export type LeadClosedReason = (typeof LEAD_CLOSED_REASONS)[number];
export const leadClosedReasonNamesZh: Record<LeadClosedReason, string> = { opted_out: '客户已关闭个性化推荐', handed_over: '客户已移交其他客户经理' };
