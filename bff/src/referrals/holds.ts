import type { Reward } from '@shared/contracts/activities';
import type { HELD_REASONS } from '@shared/contracts/referrals';
import type { ActivityView } from '@/activities';
import type { Scope } from '@/platform/auth/scope';
import { approvalView, createApprovals, type ApprovalRequest } from '@/kernel/approvals';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { RewardRequest } from '@/rewards';
import type { Payouts } from './payouts';
import { hashId } from '@/kernel/ids';
import { customerLabels, staffNames } from '@/kernel/names';
import type { CustomerDirectory, StaffDirectory } from '@/platform/directory';

export type Flag = (typeof HELD_REASONS)[number];
type Held = {
  kind: 'assist' | 'invite';
  activityId: string;
  /** Who the reward is for: the inviter, or who started the assist. */
  customerId: string;
  /** For an invite: the invited customer (holds kept before it was recorded have none). */
  inviteeId?: string;
  flags: Flag[];
  rewardRequest: RewardRequest;
};

/** A held reward's id: short and fixed for its key, so holding it again finds the first. */
const holdIdOf = (key: string) => hashId([key], { prefix: 'RH', length: 30 });

const FLAG_NAMES: Record<Flag, string> = {
  fresh_accounts: '助力者多为刚注册的账号',
  shared_ip: '多次来自同一网络地址',
  shared_device: '多次来自同一设备',
  no_device: '多数助力未经小程序发出（缺少设备标识）',
  mutual_help: '与助力者互相助力',
  invite_velocity: '短时间内大量邀请达标',
};

/**
 * Rewards held for review (风控待审): when a referral pattern looks farmed, the reward is not
 * paid but queued, once per reward, for a reviewer in the activity's org subtree. Approving
 * pays it through the reward engine under the key it would have had, so it is paid once (or,
 * if the budget ran out meanwhile, records that it could not be); rejecting pays nothing.
 */
export function createHolds(deps: {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  faults: Faults;
  scope: Scope;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
  findView: (id: string) => Promise<ActivityView | null>;
  findViews: (ids: string[]) => Promise<ActivityView[]>;
  customers: Pick<CustomerDirectory, 'findByIds'>;
  staff: Pick<StaffDirectory, 'findByIds'>;
  payouts: Payouts;
}) {
  const approvals = createApprovals<Held>({
    db: deps.db,
    clock: deps.clock,
    audit: deps.audit,
    faults: deps.faults,
    name: 'referral_hold',
    async authorize(principal, { activityId }) {
      const view = await deps.findView(activityId);
      if (!view || !principal.orgUnitId || !(await deps.scope.unitIds(principal)).includes(view.orgUnitId)) throw new AppError('NOT_FOUND');
    },
    async visible(principal, requests) {
      const [views, units] = await Promise.all([deps.findViews(requests.map((r) => r.activityId)), deps.scope.unitIds(principal)]);
      const reached = new Set(views.filter((v) => units.includes(v.orgUnitId)).map((v) => v._id));
      return requests.filter((r) => reached.has(r.activityId));
    },
    independent: deps.independent,
    async apply(request) {
      // A budget spent meanwhile is an outcome of the approval, kept with the reward: the customer is told it ran out.
      await deps.payouts.pay(request.rewardRequest);
    },
    auditDetail: ({ kind, flags }) => ({ kind, flags }),
  });

  const toView = (h: ApprovalRequest<Held>) => ({
    ...approvalView(h),
    kind: h.kind,
    activityId: h.activityId,
    customerId: h.customerId,
    flags: h.flags,
    reward: h.rewardRequest.reward as Reward,
  });

  return {
    /** Holds the reward instead of paying it; once per reward (`key` names it: the assist, the invitee). */
    hold: (key: string, held: Held) => approvals.requestFromSystem(holdIdOf(key), held, `风控：${held.flags.map((f) => FLAG_NAMES[f]).join('；')}`),
    status: async (key: string) => (await approvals.find(holdIdOf(key)))?.status ?? null,
    /** A page of held rewards awaiting this checker, with the activity by title and the customers by masked name. */
    async pending(principal: Principal, paging: { page: number; pageSize: number }) {
      const { items, total } = await approvals.pending(principal, paging);
      const customerIds = items.flatMap((h) => (h.inviteeId ? [h.customerId, h.inviteeId] : [h.customerId]));
      const [views, customers, staff] = await Promise.all([
        deps.findViews(items.map((h) => h.activityId)),
        customerLabels(deps.customers, customerIds),
        staffNames(
          deps.staff,
          items.map((h) => h.requestedBy),
        ),
      ]);
      const titleOf = new Map(views.map((v) => [v._id, (v.live ?? v.workingContent)?.title ?? v.code]));
      return {
        total,
        items: items.map((h) => ({
          ...toView(h),
          requestedByName: staff(h.requestedBy),
          activityTitle: titleOf.get(h.activityId) ?? '已删除的活动',
          customerLabel: customers(h.customerId),
          inviteeLabel: h.inviteeId ? customers(h.inviteeId) : null,
        })),
      };
    },
    approve: async (principal: Principal, id: string, reason: string | null) => toView(await approvals.approve(principal, id, reason)),
    reject: async (principal: Principal, id: string, reason: string) => toView(await approvals.reject(principal, id, reason)),
    recover: () => approvals.recover(),
  };
}

export type Holds = ReturnType<typeof createHolds>;
