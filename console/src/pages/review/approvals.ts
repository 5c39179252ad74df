import type { z } from 'zod';
import type { Api, OperationId, ResponseOf } from '@shared/api';
import type { ApprovalFields } from '@shared/contracts/review';
import { rewardText } from '@shared/contracts/activities';
import { staffRoleNamesZh } from '@shared/roles';

/** A kind's checker operations, named after its noun as shared/api/approvals.ts names them (APPROVAL_KINDS checks each against the contract). */
const operationsOf = <const Noun extends string>(noun: Noun) => ({ pending: `listPending${noun}s`, approve: `approve${noun}`, reject: `reject${noun}` }) as const;

/** A pending request of one kind as its pending list describes it: its own fields and what it is about, by name. */
type Pending<Op extends OperationId> = ResponseOf<Api[Op]> extends { items: (infer R)[] } ? R : never;

/** What the queue reads of a pending request of any kind; its kind's `describe` reads the rest. */
export type ApprovalRequest = z.infer<typeof ApprovalFields> & { requestedByName: string; staffId?: string };

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
const roleName = (role: keyof typeof staffRoleNamesZh | null) => (role ? staffRoleNamesZh[role] : '—');

/** A kind of two-person request that is not a document: its pending list, approve and reject share one shape. */
const kind = <const Noun extends string>(noun: Noun, key: string, label: string, describe: (r: Pending<`listPending${Noun}s` & OperationId>) => string) => ({
  key,
  label,
  operations: operationsOf(noun),
  // Its rows come from this kind's pending list, so they have its fields.
  describe: (r: ApprovalRequest) => describe(r as Pending<`listPending${Noun}s` & OperationId>),
});

export const APPROVAL_KINDS = [
  kind('PointsAdjustment', 'points', '积分调整', (r) => `${r.customerLabel}：${signed(r.amount)} 积分`),
  kind('StockAdjustment', 'stock', '库存调整', (r) => `${r.itemTitle}（${r.itemCode}）：库存 ${r.stockBefore} → ${r.stockAfter}（${signed(r.delta)}）`),
  kind(
    'Handover',
    'handovers',
    '离职继承',
    (r) =>
      `${r.fromRmName}（${r.fromOrgUnitName}）的${r.customerCount === null ? `全部客户（现有 ${r.customersNow} 位）` : ` ${r.customerCount} 位客户`}移交给 ${r.toRmName}（${r.toOrgUnitName}）`,
  ),
  kind(
    'ReferralHold',
    'holds',
    '风控待审奖励',
    (r) =>
      `「${r.activityTitle}」${r.kind === 'invite' ? '邀请' : '助力'}奖励 ${rewardText(r.reward)}，发给 ${r.customerLabel}${r.inviteeLabel ? `（被邀请人 ${r.inviteeLabel}）` : ''}`,
  ),
  kind('StaffGrant', 'staff', '员工账号与权限', (r) => {
    if (r.kind === 'create') return `开通账号 ${r.username ?? ''}：${r.maskedName}，${roleName(r.role)}，${r.orgUnitName}`;
    const changes = [
      r.role !== null && `角色 ${roleName(r.currentRole)} → ${roleName(r.role)}`,
      r.orgUnitId !== null && `机构 ${r.currentOrgUnitName ?? '—'} → ${r.orgUnitName}`,
      r.disabled === false && '重新启用',
      r.disabled === true && '停用',
    ].filter(Boolean);
    return `调整 ${r.maskedName}（${roleName(r.currentRole)}，${r.currentOrgUnitName ?? '—'}）：${changes.join('；')}`;
  }),
] as const;

export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
