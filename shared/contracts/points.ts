import { z } from 'zod';
import { NON_ZERO, trimmedText } from './common';
import { ApprovalFields, pendingApprovalFields } from './review';
import { approvalOperations, decisionLinks } from '../api/approvals';
import { byOperationId } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

const LEDGER_ENTRY_TYPES = ['earn', 'spend', 'expire', 'refund', 'adjust'] as const;

export const PointsBalance = z
  .object({
    balance: z.number().int(),
    expiringSoon: z.object({ amount: z.number().int(), before: z.string().nullable() }).describe('Points that expire within 30 days'),
  })
  .meta({ id: 'PointsBalance' });
export type PointsBalance = z.infer<typeof PointsBalance>;

export const LedgerEntry = z.object({
  seq: z.number().int(),
  type: z.enum(LEDGER_ENTRY_TYPES),
  amount: z.number().int().describe('Signed: positive adds points'),
  balance: z.number().int().describe('The balance after this entry'),
  description: z.string(),
  at: z.string(),
  expiresAt: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerPage = z.object({ items: z.array(LedgerEntry), nextBeforeSeq: z.number().int().nullable() });
export type LedgerPage = z.infer<typeof LedgerPage>;

const LedgerQuery = z.object({
  beforeSeq: z.coerce.number().int().min(2).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** 收入 (points in) or 支出 (points out: spends and expiries); both when absent. */
  direction: z.enum(['in', 'out']).optional(),
});

const AdjustmentRequest = z.object({
  customerId: z.string().min(1),
  amount: z
    .number()
    .int()
    .min(-1_000_000, 'at most 1,000,000 points at once')
    .max(1_000_000, 'at most 1,000,000 points at once')
    .refine((n) => n !== 0, 'amount may not be 0')
    .meta(NON_ZERO),
  reason: trimmedText(1).max(500),
});

export const PointsAdjustment = ApprovalFields.extend({ customerId: z.string(), amount: z.number().int() }).meta({ id: 'PointsAdjustment' });
export type PointsAdjustment = z.infer<typeof PointsAdjustment>;
const PendingPointsAdjustment = PointsAdjustment.extend({ ...pendingApprovalFields, customerLabel: z.string().describe('Masked name / 客户号') }).meta({
  id: 'PendingPointsAdjustment',
});

export const Preferences = z.object({ personalized: z.boolean() }).meta({ id: 'Preferences' });

const InvariantQuery = z.object({ customerId: z.string().min(1).max(128).optional(), activityId: z.string().min(1).max(128).optional() });

/** The books' invariant check: how many accounts and activities (budget shares, for the whole bank) it checked, and what it found. */
const InvariantReport = z
  .object({
    checked: z.object({ customers: z.number().int(), activities: z.number().int() }),
    /** False when changed accounts or budgets were left for the next pass. */
    upToDate: z.boolean(),
    violations: z.array(z.string()),
  })
  .meta({ id: 'InvariantReport' });

export const pointsAdjustmentApprovals = approvalOperations({
  path: '/admin/points/adjustments',
  noun: 'PointsAdjustment',
  label: '积分调整',
  tag: 'admin:points',
  schema: PointsAdjustment,
  pendingSchema: PendingPointsAdjustment,
});

export const pointsApi = {
  ...byOperationId(pointsAdjustmentApprovals),
  ...endpoints({
    getMyPoints: {
      method: 'get',
      path: '/me/points',
      operationId: 'getMyPoints',
      summary: '我的积分余额与即将过期积分',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Balance', schema: PointsBalance } },
    },
    getMyPointsLedger: {
      method: 'get',
      path: '/me/points/ledger',
      operationId: 'getMyPointsLedger',
      summary: '我的积分明细（新到旧，分页）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      query: LedgerQuery,
      responses: { 200: { description: 'A page of entries', schema: LedgerPage } },
    },
    requestPointsAdjustment: {
      method: 'post',
      path: '/admin/points/adjustments',
      operationId: 'requestPointsAdjustment',
      summary: '发起人工积分调整（需审核员审批后生效）',
      tags: ['admin:points'],
      access: [Role.ADMIN],
      body: AdjustmentRequest,
      responses: { 201: { description: 'Pending approval', schema: PointsAdjustment, links: decisionLinks('PointsAdjustment') } },
    },
    checkInvariants: {
      method: 'get',
      path: '/admin/invariants',
      operationId: 'checkInvariants',
      summary: '核对积分与预算不变量：流水之和等于余额、无负余额、序号连续、预算发放数等于已发奖励',
      tags: ['admin:points'],
      access: [Role.ADMIN, Role.REVIEWER],
      query: InvariantQuery,
      responses: {
        200: {
          description:
            'With customerId or activityId: that account or activity, checked now from its first entry. Without: the accounts and budgets changed since their last check, checked from there (one pass; `upToDate` false means the maintenance job has more to do), and every violation any check has stored.',
          schema: InvariantReport,
        },
      },
    },
  }),
};
