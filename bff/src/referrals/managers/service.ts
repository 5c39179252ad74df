import type { PosterSpec } from '@shared/contracts/referrals';
import { maskName, maskPhone, maskedDisplayName } from '@shared/masking';
import type { ActivityView } from '@/activities';

import type { Scope } from '@/platform/auth/scope';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import type { CustomerDirectory, OrgDirectory, StaffDirectory } from '@/platform/directory';
import type { Attribution } from '../sharing/attribution';
import type { Managers } from './book';
import type { Scenes } from '../sharing/scenes';

/**
 * What relationship managers (客户经理) do with referrals: a poster carrying their own scene,
 * the customers they look after (masked) with how each came, and their figures. A manager sees
 * only their own customers; an admin, the managers of their org subtree.
 */
export function createManagerService(deps: {
  clock: Clock;
  staff: StaffDirectory;
  org: OrgDirectory;
  scope: Scope;
  customers: CustomerDirectory;
  managers: Managers;
  attribution: Attribution;
  scenes: Scenes;
  findView: (id: string) => Promise<ActivityView | null>;
  liveViews: (now: Date) => Promise<ActivityView[]>;
  /** Activities a customer took part in lately (those that rewarded them). */
  joinedBy: (customerId: string) => Promise<string[]>;
}) {
  async function manager(rmId: string) {
    const member = await deps.staff.findById(rmId);
    if (!member || member.role !== 'rm' || member.disabled) throw new AppError('NOT_FOUND', { message: '客户经理不存在' });
    return member;
  }

  /** A manager the caller may look at: themselves, or (an admin) one in their org subtree. */
  async function visibleManager(principal: Principal, rmId: string) {
    const member = await manager(rmId);
    if (principal.role === 'rm' ? principal.id !== rmId : !principal.orgUnitId || !(await deps.scope.unitIds(principal)).includes(member.orgUnitId))
      throw new AppError('NOT_FOUND', { message: '客户经理不存在' });
    return member;
  }

  async function customers(rmId: string, before: number | undefined, limit: number) {
    const page = await deps.managers.page(rmId, before, limit);
    const items = await Promise.all(
      page.items.map(async (item) => {
        const [customer, arrival, joined] = await Promise.all([deps.customers.findById(item.customerId), deps.attribution.find(item.customerId), deps.joinedBy(item.customerId)]);
        const [activity, inviter] = await Promise.all([
          arrival?.activityId ? deps.findView(arrival.activityId) : null,
          arrival?.parentCustomerId ? deps.customers.findById(arrival.parentCustomerId) : null,
        ]);
        const via = item.via === 'handover' ? 'handover' : arrival?.sharer.kind === 'staff' ? arrival.channel : 'referral';
        return {
          customerId: item.customerId,
          name: customer ? maskedDisplayName(customer) : '客户',
          phone: customer?.phone ? maskPhone(customer.phone) : null,
          since: item.since.toISOString(),
          via,
          activityTitle: activity?.live?.title ?? null,
          invitedBy: inviter ? maskedDisplayName(inviter) : null,
          joined: (await Promise.all(joined.slice(0, 5).map(deps.findView))).flatMap((v) => (v?.live ? [v.live.title] : [])),
        } as const;
      }),
    );
    return { items, nextBefore: page.nextBefore };
  }

  /** Live activities a manager may put on a poster: live now, of their own branch or a unit above it. */
  async function offered(member: { orgUnitId: string }) {
    const chain = (await deps.org.findById(member.orgUnitId))?.path ?? [];
    const now = deps.clock.now();
    return (await deps.liveViews(now)).filter(
      (v) => v.live && !v.withdrawn && chain.includes(v.orgUnitId) && (!v.liveStart || v.liveStart <= now) && (!v.liveEnd || now < v.liveEnd),
    );
  }

  async function figures(rmId: string) {
    const mine = await deps.managers.all(rmId);
    const direct = await deps.attribution.count({ kind: 'staff', id: rmId });
    const inherited = mine.filter((c) => c.via === 'handover').length;
    return { customers: mine.length, broughtDirectly: direct, broughtThroughCustomers: Math.max(0, mine.length - inherited - direct), inherited };
  }

  return {
    /**
     * The poster a manager shares: their scene's code, the activity's artwork and copy, their masked name.
     * For a marketing task (`taskId`), a scene of its own, so arrivals through it count for the task.
     */
    async poster(principal: Principal, activityId: string | undefined, taskId?: string): Promise<PosterSpec> {
      const member = await manager(principal.id);
      let title = '把银行装进微信';
      let copy = '扫码进入小程序，签到、答题、积分兑好礼';
      let artwork: string | null = null;
      if (activityId) {
        // Only what the manager's own list offers (their branch chain's activities, live now): the same rule as the list.
        const view = (await offered(member)).find((v) => v._id === activityId);
        if (!view?.live) throw new AppError('NOT_FOUND', { message: '活动不存在或未上线' });
        title = view.live.title;
        copy = view.live.description || copy;
        artwork = view.live.images.banner ?? view.live.images.cover ?? null;
      }
      const scene = await deps.scenes.ensure({
        sharer: { kind: 'staff', id: member.id },
        activityId: activityId ?? null,
        assistId: null,
        taskId: taskId ?? null,
        channel: 'poster',
      });
      const share = deps.scenes.shareOf(scene);
      const org = await deps.org.findById(member.orgUnitId);
      return {
        scene: scene._id,
        wxacode: share.wxacode,
        path: share.path,
        title,
        copy,
        artwork,
        manager: { name: maskName(member.name), title: '客户经理', orgName: org?.name ?? '' },
      };
    },
    /** Live activities a manager may put on a poster: their own branch's and those of the units above it. */
    async posterActivities(principal: Principal) {
      const member = await manager(principal.id);
      return { items: (await offered(member)).map((v) => ({ id: v._id, title: v.live!.title, type: v.type })) };
    },
    myCustomers: (principal: Principal, before: number | undefined, limit: number) => customers(principal.id, before, limit),
    myFigures: (principal: Principal) => figures(principal.id),
    async customersOf(principal: Principal, rmId: string, before: number | undefined, limit: number) {
      await visibleManager(principal, rmId);
      return customers(rmId, before, limit);
    },
    async figuresOf(principal: Principal, rmId: string) {
      await visibleManager(principal, rmId);
      return figures(rmId);
    },
  };
}

export type ManagerService = ReturnType<typeof createManagerService>;
