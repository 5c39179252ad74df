import { z } from 'zod';
import { AcceptInvite, AcceptInviteResult, MyInvite } from '../../../shared/contracts/invites';
import {
  Arrival,
  ArrivalResult,
  AssistParams,
  AssistView,
  CreateShare,
  Handover,
  HandoverReport,
  HandoverRequest,
  HeldReward,
  InviteStats,
  PageQuery,
  PosterActivities,
  PosterQuery,
  PosterSpec,
  ReferralInvariants,
  ReferralTree,
  ReferralTreeQuery,
  RmCustomerPage,
  RmFigures,
  SceneInfo,
  SceneParams,
  Share,
} from '../../../shared/contracts/referrals';
import { maskedDisplayName } from '../../../shared/masking';
import { Role } from '../../../shared/roles';
import type { ActivityView } from '../activities/repository';
import type { CustomerRepository } from '../customers';
import type { Scope } from '../org/scope';
import { approvalReviewRoutes, decisionLinks } from '../kernel/approval-routes';
import type { Principal } from '../platform/auth/principal';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { IdParams } from '../platform/http/params';
import { defineRoute, linksTo } from '../platform/http/routes';
import type { Assists } from './assists';
import type { Attribution, AttributionDoc } from './attribution';
import type { Handovers } from './handovers';
import type { Holds } from './holds';
import type { createInviteCodes } from './invite-codes';
import { kFactorOf, type InviteRewards } from './invite-rewards';
import type { ManagerService } from './managers-service';
import type { Scenes } from './scenes';

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
  customers: CustomerRepository;
  clock: Clock;
  db: Database;
};

const SIGNED_IN = [Role.CUSTOMER, Role.RM, Role.ADMIN, Role.REVIEWER] as const;
const DeviceHeader = z.object({
  'X-Device-Id': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional()
    .describe(
      'The app install’s own id, made once and kept in the mini-program’s storage (WeChat gives a mini-program no device identifier; openid and unionid name the person). The mini-program sends it with every help: it keys per-device limits, many helps from one id or most helps without one (from outside the app) hold the reward for review',
    ),
});
const ASSIST_USES = linksTo(['getAssist', 'helpAssist'], { id: '$response.body#/id' });

/** An activity a share may name: one customers can see now. */
async function shareable(findView: Services['findView'], clock: Clock, activityId: string) {
  const view = await findView(activityId);
  if (!view?.live || view.withdrawn || !view.liveStart || !view.liveEnd || clock.now() < view.liveStart || clock.now() >= view.liveEnd) throw new AppError('NOT_FOUND', { message: '活动不存在或未上线' });
}

export function referralCustomerRoutes(s: Services) {
  const tags = ['customer:referrals'];
  const access = [Role.CUSTOMER] as const;
  return [
    defineRoute({
      method: 'get',
      path: '/me/invite',
      operationId: 'getMyInvite',
      summary: '我的邀请码、分享路径与已邀请人数',
      tags,
      access,
      responses: { 200: { description: 'My invite', schema: MyInvite } },
      handler: ({ principal }) => s.inviteCodes.mine(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/inviter',
      operationId: 'acceptInvite',
      summary: '新客户填写邀请码（注册后归因窗口内、仅首次有效）',
      tags,
      access,
      body: AcceptInvite,
      responses: { 200: { description: 'Whether it counted', schema: AcceptInviteResult } },
      handler: ({ principal, body }) => s.inviteCodes.accept(principal!.id, body.code),
    }),
    defineRoute({
      method: 'post',
      path: '/me/shares',
      operationId: 'createMyShare',
      summary: '生成我的分享（场景值 ≤ 32 位）：分享路径与小程序码；分享本身不获得任何奖励',
      tags,
      access,
      body: CreateShare,
      responses: { 200: { description: 'The share', schema: Share, links: linksTo(['getScene', 'getSceneWxacode'], { scene: '$response.body#/scene' }) } },
      async handler({ principal, body }) {
        if (body.activityId) await shareable(s.findView, s.clock, body.activityId);
        return s.scenes.shareOf(await s.scenes.ensure({ sharer: { kind: 'customer', id: principal!.id }, activityId: body.activityId ?? null, assistId: null, channel: body.channel }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/me/arrival',
      operationId: 'recordArrival',
      summary: '通过分享进入：首次触达归因（仅新客户、归因窗口内、不能自己邀请自己、不成环）',
      tags,
      access,
      body: Arrival,
      responses: { 200: { description: 'Whether this arrival was attributed', schema: ArrivalResult } },
      handler: ({ principal, body, ctx }) => s.arrive(principal!.id, body.scene, ctx.ip || null),
    }),
    defineRoute({
      method: 'get',
      path: '/scenes/:scene',
      operationId: 'getScene',
      summary: '解析分享场景值：活动、助力与分享人（脱敏）',
      tags,
      access: SIGNED_IN,
      params: SceneParams,
      responses: { 200: { description: 'The scene', schema: SceneInfo } },
      async handler({ params }) {
        const scene = await s.scenes.find(params.scene);
        if (!scene) throw new AppError('NOT_FOUND', { message: '分享链接已失效' });
        const name = scene.sharer.kind === 'customer' ? maskedDisplayName((await s.customers.findById(scene.sharer.id)) ?? { name: null, nickname: null, phone: null }) : '客户经理';
        return { scene: scene._id, activityId: scene.activityId, assistId: scene.assistId, sharer: { kind: scene.sharer.kind, name }, channel: scene.channel };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/scenes/:scene/wxacode',
      operationId: 'getSceneWxacode',
      summary: '场景值的小程序码（PNG，经微信 wxacode.getUnlimited 生成）',
      tags,
      access: SIGNED_IN,
      params: SceneParams,
      responses: { 200: { description: 'The code image', contentType: 'image/png' } },
      async handler({ params, ctx }) {
        ctx.type = 'image/png';
        ctx.set('Cache-Control', 'private, max-age=86400');
        ctx.body = await s.scenes.wxacode(params.scene);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/assists',
      operationId: 'startAssist',
      summary: '发起助力（每个活动一次；再次调用返回已发起的助力）',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'My assist', schema: AssistView, links: ASSIST_USES } },
      handler: ({ principal, params }) => s.assists.start(principal!.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/assists/:id',
      operationId: 'getAssist',
      summary: '助力进度（发起人可见助力好友，脱敏）',
      tags,
      access,
      params: AssistParams,
      responses: { 200: { description: 'The assist', schema: AssistView } },
      handler: ({ principal, params }) => s.assists.get(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/assists/:id/helps',
      operationId: 'helpAssist',
      summary: '为好友助力（每人每个助力一次；不能为自己助力；满员或过期后不计）',
      tags,
      access,
      params: AssistParams,
      headers: DeviceHeader,
      responses: { 200: { description: 'The assist after my help', schema: AssistView } },
      handler: ({ principal, params, headers, ctx }) => s.assists.help(principal!.id, params.id, { ip: ctx.ip || null, deviceId: headers['X-Device-Id'] ?? null }),
    }),
  ];
}

export function referralManagerRoutes(s: Services) {
  const tags = ['rm'];
  const access = [Role.RM] as const;
  return [
    defineRoute({
      method: 'get',
      path: '/rm/poster',
      operationId: 'getMyPoster',
      summary: '客户经理海报：带本人场景值的小程序码、活动图文、本人脱敏姓名',
      tags,
      access,
      query: PosterQuery,
      responses: { 200: { description: 'What the poster shows', schema: PosterSpec } },
      handler: ({ principal, query }) => s.managers.poster(principal!, query.activityId),
    }),
    defineRoute({
      method: 'get',
      path: '/rm/activities',
      operationId: 'listPosterActivities',
      summary: '可生成海报的活动（本机构及上级机构的在线活动）',
      tags,
      access,
      responses: { 200: { description: 'Activities', schema: PosterActivities } },
      handler: ({ principal }) => s.managers.posterActivities(principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/rm/customers',
      operationId: 'listMyManagedCustomers',
      summary: '我服务的客户（脱敏）与来源，新的在前',
      tags,
      access,
      query: PageQuery,
      responses: { 200: { description: 'A page', schema: RmCustomerPage } },
      handler: ({ principal, query }) => s.managers.myCustomers(principal!, query.before, query.limit),
    }),
    defineRoute({
      method: 'get',
      path: '/rm/figures',
      operationId: 'getMyReferralFigures',
      summary: '我的获客数据',
      tags,
      access,
      responses: { 200: { description: 'Figures', schema: RmFigures } },
      handler: ({ principal }) => s.managers.myFigures(principal!),
    }),
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
  const tags = ['admin:referrals'];
  const readers = [Role.ADMIN, Role.REVIEWER] as const;
  return [
    defineRoute({
      method: 'get',
      path: '/admin/customers/:id/referral-tree',
      operationId: 'getReferralTree',
      summary: '客户的推荐链：上游与下游（限深度与人数）',
      tags,
      access: readers,
      params: IdParams,
      query: ReferralTreeQuery,
      responses: { 200: { description: 'The chain', schema: ReferralTree } },
      async handler({ principal, params, query }) {
        await customerInScope(s, principal!, params.id);
        return s.attribution.tree(params.id, query.depth, query.limit, await customerFilter(s, principal!));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/activities/:id/invite-stats',
      operationId: 'getInviteStats',
      summary: '邀请活动数据：邀请数、达标数、K 因子、达标用时',
      tags,
      access: readers,
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: InviteStats } },
      async handler({ principal, params }) {
        const view = await activityInScope(s, principal!, params.id);
        if (view.type !== 'invite') throw new AppError('NOT_FOUND', { message: '不是邀请活动' });
        const invites = await s.db.collection<AttributionDoc>('referral_attributions').countDocuments({ activityId: params.id, parentCustomerId: { $ne: null } });
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
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/activities/:id/referral-invariants',
      operationId: 'checkReferralInvariants',
      summary: '助力、邀请活动奖励核对：每个集齐的助力、每位达标的被邀请人，其奖励均已按结算发放、待审、驳回或因预算用尽未发，且无超过租期仍未完成的承诺',
      tags,
      access: readers,
      params: IdParams,
      responses: { 200: { description: 'The check, now, from the activity’s first assist or qualification', schema: ReferralInvariants } },
      async handler({ principal, params }) {
        const view = await activityInScope(s, principal!, params.id);
        if (view.type !== 'assist' && view.type !== 'invite') throw new AppError('NOT_FOUND', { message: '不是助力或邀请活动' });
        const { figures, violations } = view.type === 'assist' ? await s.assists.check(params.id) : await s.inviteRewards.check(params.id);
        return { activityId: params.id, kind: view.type, figures, violations };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/admin/rms/:id/customers',
      operationId: 'listManagedCustomers',
      summary: '某客户经理服务的客户（本机构及下级机构的客户经理）',
      tags,
      access: readers,
      params: IdParams,
      query: PageQuery,
      responses: { 200: { description: 'A page', schema: RmCustomerPage } },
      handler: ({ principal, params, query }) => s.managers.customersOf(principal!, params.id, query.before, query.limit),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/rms/:id/figures',
      operationId: 'getManagerFigures',
      summary: '某客户经理的获客数据',
      tags,
      access: readers,
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: RmFigures } },
      handler: ({ principal, params }) => s.managers.figuresOf(principal!, params.id),
    }),
    ...approvalReviewRoutes({
      path: '/admin/referral-holds',
      noun: 'ReferralHold',
      label: '风控待审奖励',
      tag: 'admin:referrals',
      schema: HeldReward,
      // Its pending list, approve and reject.
      ...s.holds,
    }),
    defineRoute({
      method: 'post',
      path: '/admin/rm-handovers',
      operationId: 'requestHandover',
      summary: '申请离职继承：把客户经理的全部或部分客户移交给另一位客户经理（须另一人审批）',
      tags,
      access: [Role.ADMIN],
      body: HandoverRequest,
      responses: { 201: { description: 'Requested', schema: Handover, links: { ...decisionLinks('Handover'), ...linksTo(['getHandover'], { id: '$response.body#/id' }) } } },
      async handler({ principal, body, ctx }) {
        ctx.status = 201;
        return s.handovers.request(principal!, body);
      },
    }),
    ...approvalReviewRoutes({
      path: '/admin/rm-handovers',
      noun: 'Handover',
      label: '离职继承',
      tag: 'admin:referrals',
      schema: Handover,
      // Its pending list, approve and reject.
      ...s.handovers,
    }),
    defineRoute({
      method: 'get',
      path: '/admin/rm-handovers/:id',
      operationId: 'getHandover',
      summary: '离职继承进度与逐个客户的结果',
      tags,
      access: readers,
      params: IdParams,
      responses: { 200: { description: 'The report', schema: HandoverReport } },
      handler: ({ principal, params }) => s.handovers.report(principal!, params.id),
    }),
  ];
}
