import { z } from 'zod';
import { ArrivalResult, handoverApprovals, referralHoldApprovals, referralsApi } from '@shared/contracts/referrals';
import { maskedDisplayName } from '@shared/masking';
import type { ActivityView } from '@/activities';
import type { CustomerDirectory } from '@/platform/directory';
import type { Scope } from '@/platform/auth/scope';
import { approvalReviewRoutes } from '@/kernel/approval-routes';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { Assists } from './assists/assists';
import type { Attribution } from './sharing/attribution';
import type { Handovers } from './managers/handovers';
import type { Holds } from './holds';
import type { createInviteCodes } from './invites/codes';
import { kFactorOf, type InviteRewards } from './invites/rewards';
import type { ManagerService } from './managers/service';
import type { Scenes } from './sharing/scenes';

type Services = {
  scenes: Scenes;
  attribution: Attribution;
  arrive: (customerId: string, sceneId: string, ip: string | null) => Promise<z.infer<typeof ArrivalResult>>;
  inviteCodes: ReturnType<typeof createInviteCodes>;
  assists: Assists;
  inviteRewards: InviteRewards;
  holds: Holds;
  managers: ManagerService;
  handovers: Handovers;
  findView: (id: string) => Promise<ActivityView | null>;
  scope: Scope;
  customers: CustomerDirectory;
  clock: Clock;
};

/** An activity a share may name: one customers can see now. */
async function shareable(findView: Services['findView'], clock: Clock, activityId: string) {
  const view = await findView(activityId);
  if (!view?.live || view.withdrawn || !view.liveStart || !view.liveEnd || clock.now() < view.liveStart || clock.now() >= view.liveEnd)
    throw new AppError('NOT_FOUND', { message: '活动不存在或未上线' });
}

export function referralCustomerRoutes(s: Services) {
  return [
    implement(referralsApi.getMyInvite, ({ principal }) => s.inviteCodes.mine(principal.id)),
    implement(referralsApi.acceptInvite, ({ principal, body }) => s.inviteCodes.accept(principal.id, body.code)),
    implement(referralsApi.createMyShare, async ({ principal, body }) => {
      if (body.activityId) await shareable(s.findView, s.clock, body.activityId);
      return s.scenes.shareOf(
        await s.scenes.ensure({ sharer: { kind: 'customer', id: principal.id }, activityId: body.activityId ?? null, assistId: null, channel: body.channel }),
      );
    }),
    implement(referralsApi.recordArrival, ({ principal, body, ctx }) => s.arrive(principal.id, body.scene, ctx.ip || null)),
    implement(referralsApi.getScene, async ({ params }) => {
      const scene = await s.scenes.find(params.scene);
      if (!scene) throw new AppError('NOT_FOUND', { message: '分享链接已失效' });
      const name = scene.sharer.kind === 'customer' ? maskedDisplayName((await s.customers.findById(scene.sharer.id)) ?? { name: null, nickname: null, phone: null }) : '客户经理';
      return { scene: scene._id, activityId: scene.activityId, assistId: scene.assistId, sharer: { kind: scene.sharer.kind, name }, channel: scene.channel };
    }),
    implement(referralsApi.getSceneWxacode, async ({ params, ctx }) => {
      ctx.type = 'image/png';
      ctx.set('Cache-Control', 'private, max-age=86400');
      ctx.body = await s.scenes.wxacode(params.scene);
    }),
    implement(referralsApi.startAssist, ({ principal, params }) => s.assists.start(principal.id, params.id)),
    implement(referralsApi.getAssist, ({ principal, params }) => s.assists.get(principal.id, params.id)),
    implement(referralsApi.helpAssist, ({ principal, params, headers, ctx }) =>
      s.assists.help(principal.id, params.id, { ip: ctx.ip || null, deviceId: headers['X-Device-Id'] ?? null }),
    ),
  ];
}

export function referralManagerRoutes(s: Services) {
  return [
    implement(referralsApi.getMyPoster, ({ principal, query }) => s.managers.poster(principal, query.activityId)),
    implement(referralsApi.listPosterActivities, ({ principal }) => s.managers.posterActivities(principal)),
    implement(referralsApi.listMyManagedCustomers, ({ principal, query }) => s.managers.myCustomers(principal, query.before, query.limit)),
    implement(referralsApi.getMyReferralFigures, ({ principal }) => s.managers.myFigures(principal)),
  ];
}

async function customerInScope(s: Services, principal: Principal, customerId: string) {
  const customer = await s.customers.findById(customerId);
  if (!customer || !(await s.scope.reachesCustomer(principal, customer))) throw new AppError('NOT_FOUND');
}

/** Whom this reader may see in a referral tree: a customer of their org subtree (head office: anyone, and customers of no branch). */
async function customerFilter(s: Services, principal: Principal) {
  const [units, headOffice] = await Promise.all([s.scope.unitIds(principal), s.scope.isHeadOffice(principal)]);
  return (c: { orgUnitId: string | null } | null) => (c?.orgUnitId ? units.includes(c.orgUnitId) : headOffice);
}

async function activityInScope(s: Services, principal: Principal, activityId: string) {
  const view = await s.findView(activityId);
  if (!view || !principal.orgUnitId || !(await s.scope.unitIds(principal)).includes(view.orgUnitId)) throw new AppError('NOT_FOUND');
  return view;
}

export function referralAdminRoutes(s: Services) {
  return [
    implement(referralsApi.getReferralTree, async ({ principal, params, query }) => {
      await customerInScope(s, principal, params.id);
      return s.attribution.tree(params.id, query.depth, query.limit, await customerFilter(s, principal));
    }),
    implement(referralsApi.getInviteStats, async ({ principal, params }) => {
      const view = await activityInScope(s, principal, params.id);
      if (view.type !== 'invite') throw new AppError('NOT_FOUND', { message: '不是邀请活动' });
      const invites = await s.attribution.invitesOf(params.id);
      const stats = await s.inviteRewards.stats(params.id);
      return {
        activityId: params.id,
        invites,
        qualified: stats.qualified,
        sharers: stats.sharers,
        inviters: stats.inviters,
        kFactor: kFactorOf(stats),
        medianHoursToQualify: stats.medianHoursToQualify,
        capped: stats.capped,
      };
    }),
    implement(referralsApi.checkReferralInvariants, async ({ principal, params }) => {
      const view = await activityInScope(s, principal, params.id);
      if (view.type !== 'assist' && view.type !== 'invite') throw new AppError('NOT_FOUND', { message: '不是助力或邀请活动' });
      const { figures, violations } = view.type === 'assist' ? await s.assists.check(params.id) : await s.inviteRewards.check(params.id);
      return { activityId: params.id, kind: view.type, figures, violations };
    }),
    implement(referralsApi.listManagedCustomers, ({ principal, params, query }) => s.managers.customersOf(principal, params.id, query.before, query.limit)),
    implement(referralsApi.getManagerFigures, ({ principal, params }) => s.managers.figuresOf(principal, params.id)),
    ...approvalReviewRoutes({
      operations: referralHoldApprovals, // Its pending list, approve and reject.
      ...s.holds,
    }),
    implement(referralsApi.requestHandover, async ({ principal, body, ctx }) => {
      ctx.status = 201;
      return s.handovers.request(principal, body);
    }),
    ...approvalReviewRoutes({
      operations: handoverApprovals, // Its pending list, approve and reject.
      ...s.handovers,
    }),
    implement(referralsApi.getHandover, ({ principal, params }) => s.handovers.report(principal, params.id)),
  ];
}
