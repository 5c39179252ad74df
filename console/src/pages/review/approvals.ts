import type { z } from 'zod';
import type { OperationId } from '@shared/api';
import type { ApprovalFields } from '@shared/contracts/review';

/** A kind's checker operations, named after its noun as shared/api/approvals.ts names them (APPROVAL_KINDS checks each against the contract). */
const operationsOf = <const Noun extends string>(noun: Noun) => ({ pending: `listPending${noun}s`, approve: `approve${noun}`, reject: `reject${noun}` }) as const;

/** A pending request of any kind: what every kind shows, and its own fields. */
export type ApprovalRequest = z.infer<typeof ApprovalFields> & Record<string, unknown>;

/** Two-person requests that are not documents: each kind's pending list, approve and reject share one shape. */
export const APPROVAL_KINDS = [
  {
    key: 'points',
    operations: operationsOf('PointsAdjustment'),
    label: '积分调整',
    checker: 'reviewer',
    describe: (r: ApprovalRequest) => `客户 ${r.customerId}：${Number(r.amount) > 0 ? '+' : ''}${r.amount} 积分`,
  },
  {
    key: 'stock',
    operations: operationsOf('StockAdjustment'),
    label: '库存调整',
    checker: 'reviewer',
    describe: (r: ApprovalRequest) => `商品 ${r.itemId}：${Number(r.delta) > 0 ? '+' : ''}${r.delta}`,
  },
  {
    key: 'handovers',
    operations: operationsOf('Handover'),
    label: '离职继承',
    checker: 'reviewer',
    describe: (r: ApprovalRequest) => `${r.fromRmId} → ${r.toRmId}（${r.scope === 'all' ? '全部客户' : '部分客户'}）`,
  },
  {
    key: 'holds',
    operations: operationsOf('ReferralHold'),
    label: '风控待审奖励',
    checker: 'reviewer',
    describe: (r: ApprovalRequest) => `客户 ${String(r.customerId ?? r.inviterId ?? '')}`,
  },
  {
    key: 'staff',
    operations: operationsOf('StaffGrant'),
    label: '员工账号与权限',
    checker: 'admin',
    describe: (r: ApprovalRequest) => `${String(r.username ?? r.staffId ?? '')} ${String(r.role ?? '')}`,
  },
] as const satisfies readonly { key: string; operations: Record<string, OperationId>; label: string; checker: 'reviewer' | 'admin'; describe: (r: ApprovalRequest) => string }[];

export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
