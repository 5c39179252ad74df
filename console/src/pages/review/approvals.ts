/** Two-person requests that are not documents: each kind's pending list, approve and reject share one shape. */
export type ApprovalKind = { key: string; path: string; label: string; checker: 'reviewer' | 'admin'; describe: (r: Record<string, unknown>) => string };

export const APPROVAL_KINDS: readonly ApprovalKind[] = [
  { key: 'points', path: '/admin/points/adjustments', label: '积分调整', checker: 'reviewer', describe: (r) => `客户 ${r.customerId}：${Number(r.amount) > 0 ? '+' : ''}${r.amount} 积分` },
  { key: 'stock', path: '/admin/mall/stock-adjustments', label: '库存调整', checker: 'reviewer', describe: (r) => `商品 ${r.itemId}：${Number(r.delta) > 0 ? '+' : ''}${r.delta}` },
  { key: 'handovers', path: '/admin/rm-handovers', label: '离职继承', checker: 'reviewer', describe: (r) => `${r.fromRmId} → ${r.toRmId}（${r.scope === 'all' ? '全部客户' : '部分客户'}）` },
  { key: 'holds', path: '/admin/referral-holds', label: '风控待审奖励', checker: 'reviewer', describe: (r) => `客户 ${String(r.customerId ?? r.inviterId ?? '')}` },
  { key: 'staff', path: '/admin/staff/requests', label: '员工账号与权限', checker: 'admin', describe: (r) => `${String(r.username ?? r.staffId ?? '')} ${String(r.role ?? '')}` },
];

export type ApprovalRequest = { id: string; reason: string; status: string; requestedBy: string; requestedAt: string } & Record<string, unknown>;
