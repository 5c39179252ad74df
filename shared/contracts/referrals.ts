import { z } from 'zod';
import { statedRules, trimmedText } from './common';
import { Reward } from './activities';
import { ApprovalFields, pendingApprovalFields } from './review';
import { SCENE_PATTERN } from '../scene-rules';
import { approvalOperations, decisionLinks } from '../api/approvals';
import { byOperationId } from '../api/reviewed';
import { endpoints, linksTo } from '../api/endpoint';
import { IdParams } from './common';
import { Role } from '../roles';
import { AcceptInvite, AcceptInviteResult, MyInvite } from './invites';

const Scene = z.string().regex(SCENE_PATTERN, '分享场景值须为 1–32 位字母或数字');
const SceneParams = z.object({ scene: Scene });

const SHARE_CHANNELS = ['link', 'poster', 'timeline'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

const CreateShare = z
  .object({
    activityId: z.string().min(1).max(64).optional().describe('The activity the share is for; none: the bank’s home page'),
    channel: z.enum(SHARE_CHANNELS).default('link').describe('timeline: 分享到朋友圈 (arrivals through it earn nobody a reward)'),
  })
  .strict();

export const Share = z.object({
  scene: z.string(),
  path: z.string().describe('Mini-program page path to share, carrying the scene as `scene`'),
  wxacode: z.string().describe('API path of the mini-program code image (PNG) for this scene'),
});
export type Share = z.infer<typeof Share>;

const SceneInfo = z.object({
  scene: z.string(),
  activityId: z.string().nullable(),
  assistId: z.string().nullable(),
  sharer: z.object({ kind: z.enum(['customer', 'staff']), name: z.string().describe('Masked') }),
  channel: z.enum(SHARE_CHANNELS),
});

const Arrival = z.object({ scene: Scene }).strict();
const ATTRIBUTION_REFUSALS = ['existing_customer', 'already_attributed', 'self', 'loop'] as const;
/** Where a referral reward stands, from the reward engine's books: paid, refused because the activity's budget ran out, or still on its way. */
const WELCOME_REWARD_STATES = ['qualify_first', 'pending', 'paid', 'exhausted', 'unavailable'] as const;
export const ArrivalResult = z.object({
  attributed: z.boolean(),
  refusal: z
    .enum(ATTRIBUTION_REFUSALS)
    .nullable()
    .describe('Why this arrival was not attributed (first touch only, new customers only, no self or loop: a sharer must have become a customer before me)'),
  activityId: z.string().nullable(),
  assistId: z.string().nullable(),
  welcomeReward: z
    .object({
      reward: Reward,
      state: z
        .enum(WELCOME_REWARD_STATES)
        .describe(
          'From the reward engine’s books. qualify_first: paid once I do what the invite asks (bind my phone, open an account); pending: being paid; exhausted: the activity’s budget ran out; unavailable: it cannot be paid (draw chances for a draw that has ended)',
        ),
    })
    .nullable()
    .describe('The invite activity’s reward for me, the friend who arrived: null when this arrival earns me none (not attributed, not an invite, a Moments share)'),
});
export type ArrivalResult = z.infer<typeof ArrivalResult>;

const ReferralNode = z.object({
  customerId: z.string(),
  name: z.string().describe('Masked'),
  depth: z.number().int().describe('Negative: who brought the customer (−1 nearest); positive: whom they brought'),
  channel: z.enum(SHARE_CHANNELS).nullable().describe('null: came on their own, through no share'),
  activityId: z.string().nullable(),
  managerId: z.string().nullable(),
  at: z.string(),
  invitedBy: z.string().nullable().describe('The customer who brought this one, when a customer did'),
});
const ReferralTreeQuery = z.object({
  depth: z.coerce.number().int().min(1).max(10).default(3),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const ReferralTree = z.object({
  customerId: z.string(),
  ancestors: z.array(ReferralNode).describe('Who brought this customer, nearest first'),
  descendants: z.array(ReferralNode).describe('Whom this customer brought, breadth first'),
  truncated: z.boolean().describe('The depth or size limit cut the tree short'),
  hidden: z.number().int().describe('Customers of the chain outside my org subtree: neither shown nor followed further (nor named as anyone’s inviter)'),
});

/** Assist (助力). */
const AssistState = z.enum(['open', 'completed', 'expired']);
export const AssistView = z.object({
  id: z.string(),
  activityId: z.string(),
  title: z.string(),
  rules: z.string(),
  needed: z.number().int(),
  helped: z.number().int(),
  state: AssistState,
  expiresAt: z.string(),
  mine: z.boolean().describe('I started it'),
  askedBy: z.string().nullable().describe('To a friend: who asked, by masked name or nickname (never a phone number), else 您的好友; null on my own'),
  helpedByMe: z.boolean(),
  reward: Reward.nullable(),
  rewardState: z
    .enum(['none', 'pending', 'paid', 'exhausted', 'unavailable', 'held', 'rejected'])
    .describe(
      'From the reward engine’s books. pending: completed, being paid; exhausted: completed after the activity’s reward budget ran out (nothing paid); unavailable: the reward cannot be paid (draw chances for a draw that has ended); held: waiting for a review of suspicious help',
    ),
  helpers: z.array(z.object({ name: z.string().describe('Masked'), at: z.string() })).describe('Only for the starter'),
  share: Share.nullable().describe('Only for the starter'),
});
export type AssistView = z.infer<typeof AssistView>;
const AssistParams = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, '助力编号无效') });

/** Invite activities' figures. */
const InviteStats = z.object({
  activityId: z.string(),
  invites: z.number().int().describe('Newcomers attributed through it'),
  qualified: z.number().int().describe('Invitees who qualified, those past the inviter’s cap included'),
  sharers: z.number().int().describe('Customers who shared the invite (POST /me/shares for this activity, any channel: the server’s record)'),
  inviters: z.number().int().describe('Of the sharers, those with at least one qualified invitee'),
  kFactor: z.number().describe('Qualified invitees ÷ sharers (all who shared, those with no qualified friend included), two decimals'),
  medianHoursToQualify: z.number().nullable(),
  capped: z.number().int().describe('Qualified past the inviter’s cap: not rewarded'),
});

/** An assist or invite activity's rewards checked against the reward engine's books. */
const ReferralInvariants = z.object({
  activityId: z.string(),
  kind: z.enum(['assist', 'invite']),
  figures: z
    .object({
      assists: z.number().int().optional().describe('Assists started'),
      completed: z.number().int().optional().describe('Assists with every place taken'),
      qualified: z.number().int().optional().describe('Invitees who qualified'),
      capped: z.number().int().optional().describe('Qualified past the inviter’s cap (no inviter reward due)'),
      paid: z.number().int().describe('Rewards the engine paid'),
      held: z.number().int().describe('Rewards waiting for a review'),
      rejected: z.number().int().describe('Rewards a reviewer refused'),
      exhausted: z.number().int().describe('Rewards due that the budget could no longer pay (the customer is told so)'),
      unavailable: z.number().int().describe('Rewards due that could not be paid at all (draw chances for a draw that has ended)'),
      pending: z.number().int().describe('Rewards promised and not yet paid or refused'),
    })
    .describe('Rewards due, by where they stand (an invite counts the inviter’s and the friend’s rewards)'),
  violations: z
    .array(z.string())
    .describe(
      'Empty when the books agree: every completed assist settled and every qualified invitee rewarded as decided, paid or refused by the budget, never left in between past the sweep’s lease',
    ),
});

/** A reward held for review. */
export const HELD_REASONS = ['fresh_accounts', 'shared_ip', 'shared_device', 'no_device', 'mutual_help', 'invite_velocity'] as const;
const HeldReward = ApprovalFields.extend({
  kind: z.enum(['assist', 'invite']),
  activityId: z.string(),
  customerId: z.string(),
  flags: z.array(z.enum(HELD_REASONS)),
  reward: Reward,
});
const PendingReferralHold = HeldReward.extend({
  ...pendingApprovalFields,
  activityTitle: z.string(),
  customerLabel: z.string().describe('Who the reward is for (the inviter, or who started the assist): masked name / 客户号'),
  inviteeLabel: z.string().nullable().describe('For an invite: the invited customer, masked name / 客户号 (null for an assist, or a hold kept before invitees were recorded)'),
}).meta({ id: 'PendingReferralHold' });

/** Relationship managers. */
const PosterActivities = z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), type: z.string() })) });
type PosterActivities = z.infer<typeof PosterActivities>;
const PosterQuery = z.object({ activityId: z.string().min(1).max(64).optional() });
export const PosterSpec = z.object({
  scene: z.string(),
  wxacode: z.string().describe('API path of the code image (PNG)'),
  path: z.string(),
  title: z.string(),
  copy: z.string(),
  artwork: z.string().nullable().describe('The activity’s banner, as a /media path'),
  manager: z.object({ name: z.string().describe('Masked'), title: z.string(), orgName: z.string() }),
});
export type PosterSpec = z.infer<typeof PosterSpec>;

const CUSTOMER_SOURCES = ['poster', 'link', 'timeline', 'referral', 'handover'] as const;
/** How a customer came to their relationship manager, as the console names it. */
export const customerSourceNamesZh: Record<(typeof CUSTOMER_SOURCES)[number], string> = {
  poster: '海报扫码',
  link: '分享链接',
  timeline: '朋友圈',
  referral: '客户推荐',
  handover: '离职继承',
};
const RmCustomer = z.object({
  customerId: z.string(),
  name: z.string().describe('Masked'),
  phone: z.string().nullable().describe('Masked'),
  since: z.string(),
  via: z.enum(CUSTOMER_SOURCES).describe('How the customer came to me'),
  activityTitle: z.string().nullable(),
  invitedBy: z.string().nullable().describe('Masked name of the customer who brought them'),
  joined: z.array(z.string()).describe('Activities that rewarded them lately, newest first (at most five)'),
});
export const RmCustomerPage = z.object({ items: z.array(RmCustomer), nextBefore: z.number().int().nullable() });
export type RmCustomerPage = z.infer<typeof RmCustomerPage>;
const RmFigures = z.object({
  customers: z.number().int().describe('Mine now'),
  broughtDirectly: z.number().int().describe('Arrived through my own shares'),
  broughtThroughCustomers: z.number().int().describe('Arrived through customers of mine'),
  inherited: z.number().int().describe('Handed over to me'),
});
type RmFigures = z.infer<typeof RmFigures>;
const PageQuery = z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });

/** 离职继承. */
const HandoverRequest = z
  .object({
    fromRmId: z.string().min(1).max(64),
    toRmId: z.string().min(1).max(64),
    customerIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional().describe('Omitted: all of the leaving manager’s customers'),
    reason: trimmedText(2).max(200),
  })
  .strict()
  .refine((h) => h.fromRmId !== h.toRmId, { message: '交接双方不能是同一客户经理', path: ['toRmId'] })
  .describe(statedRules('toRmId is not fromRmId.'));
export const Handover = ApprovalFields.extend({
  fromRmId: z.string(),
  toRmId: z.string(),
  scope: z.enum(['all', 'some']),
  run: z
    .object({ state: z.enum(['running', 'done']), total: z.number().int(), moved: z.number().int(), skipped: z.number().int() })
    .nullable()
    .describe('Once approved: its progress'),
});
const PendingHandover = Handover.extend({
  ...pendingApprovalFields,
  fromRmName: z.string().describe('Masked'),
  fromOrgUnitName: z.string(),
  toRmName: z.string().describe('Masked'),
  toOrgUnitName: z.string(),
  customerCount: z.number().int().nullable().describe('How many customers it names; null for all of the leaving manager’s customers'),
  customersNow: z.number().int().describe('How many customers the leaving manager looks after now: what approving all of them would move'),
}).meta({ id: 'PendingHandover' });
const HandoverItem = z.object({ customerId: z.string(), outcome: z.enum(['moved', 'skipped']), detail: z.string().nullable() });
const HandoverReport = Handover.extend({ items: z.array(HandoverItem) });

export const referralHoldApprovals = approvalOperations({
  path: '/admin/referral-holds',
  noun: 'ReferralHold',
  label: '风控待审奖励',
  tag: 'admin:referrals',
  schema: HeldReward,
  pendingSchema: PendingReferralHold,
});

export const handoverApprovals = approvalOperations({
  path: '/admin/rm-handovers',
  noun: 'Handover',
  label: '离职继承',
  tag: 'admin:referrals',
  schema: Handover,
  pendingSchema: PendingHandover,
});

const ASSIST_USES = linksTo(['getAssist', 'helpAssist'], { id: '$response.body#/id' });

const DeviceHeader = z.object({
  'X-Device-Id': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional()
    .describe(
      'The app install’s own id, made once and kept in the mini-program’s storage (WeChat gives a mini-program no device identifier; openid and unionid name the person). The mini-program sends it with every help: it keys per-device limits, many helps from one id or most helps without one (from outside the app) hold the reward for review',
    ),
});

const SIGNED_IN = [Role.CUSTOMER, Role.RM, Role.ADMIN, Role.REVIEWER] as const;

export const referralsApi = {
  ...byOperationId(referralHoldApprovals),
  ...byOperationId(handoverApprovals),
  ...endpoints({
    getMyInvite: {
      method: 'get',
      path: '/me/invite',
      operationId: 'getMyInvite',
      summary: '我的邀请码、分享路径与已邀请人数',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      responses: { 200: { description: 'My invite', schema: MyInvite } },
    },
    acceptInvite: {
      method: 'post',
      path: '/me/inviter',
      operationId: 'acceptInvite',
      summary: '新客户填写邀请码（注册后归因窗口内、仅首次有效）',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      body: AcceptInvite,
      responses: { 200: { description: 'Whether it counted', schema: AcceptInviteResult } },
    },
    createMyShare: {
      method: 'post',
      path: '/me/shares',
      operationId: 'createMyShare',
      summary: '生成我的分享（场景值 ≤ 32 位）：分享路径与小程序码；分享本身不获得任何奖励',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      body: CreateShare,
      responses: { 200: { description: 'The share', schema: Share, links: linksTo(['getScene', 'getSceneWxacode'], { scene: '$response.body#/scene' }) } },
    },
    recordArrival: {
      method: 'post',
      path: '/me/arrival',
      operationId: 'recordArrival',
      summary: '通过分享进入：首次触达归因（仅新客户、归因窗口内、不能自己邀请自己、不成环）',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      body: Arrival,
      responses: { 200: { description: 'Whether this arrival was attributed', schema: ArrivalResult } },
    },
    getScene: {
      method: 'get',
      path: '/scenes/:scene',
      operationId: 'getScene',
      summary: '解析分享场景值：活动、助力与分享人（脱敏）',
      tags: ['customer:referrals'],
      access: SIGNED_IN,
      params: SceneParams,
      responses: { 200: { description: 'The scene', schema: SceneInfo } },
    },
    getSceneWxacode: {
      method: 'get',
      path: '/scenes/:scene/wxacode',
      operationId: 'getSceneWxacode',
      summary: '场景值的小程序码（PNG，经微信 wxacode.getUnlimited 生成）',
      tags: ['customer:referrals'],
      access: SIGNED_IN,
      params: SceneParams,
      responses: { 200: { description: 'The code image', contentType: 'image/png' } },
    },
    startAssist: {
      method: 'post',
      path: '/activities/:id/assists',
      operationId: 'startAssist',
      summary: '发起助力（每个活动一次；再次调用返回已发起的助力）',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      params: IdParams,
      responses: { 200: { description: 'My assist', schema: AssistView, links: ASSIST_USES } },
    },
    getAssist: {
      method: 'get',
      path: '/assists/:id',
      operationId: 'getAssist',
      summary: '助力进度（发起人可见助力好友，脱敏）',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      params: AssistParams,
      responses: { 200: { description: 'The assist', schema: AssistView } },
    },
    helpAssist: {
      method: 'post',
      path: '/assists/:id/helps',
      operationId: 'helpAssist',
      summary: '为好友助力（每人每个助力一次；不能为自己助力；满员或过期后不计）',
      tags: ['customer:referrals'],
      access: [Role.CUSTOMER] as const,
      params: AssistParams,
      headers: DeviceHeader,
      responses: { 200: { description: 'The assist after my help', schema: AssistView } },
    },
    getMyPoster: {
      method: 'get',
      path: '/rm/poster',
      operationId: 'getMyPoster',
      summary: '客户经理海报：带本人场景值的小程序码、活动图文、本人脱敏姓名',
      tags: ['rm'],
      access: [Role.RM] as const,
      query: PosterQuery,
      responses: { 200: { description: 'What the poster shows', schema: PosterSpec } },
    },
    listPosterActivities: {
      method: 'get',
      path: '/rm/activities',
      operationId: 'listPosterActivities',
      summary: '可生成海报的活动（本机构及上级机构的在线活动）',
      tags: ['rm'],
      access: [Role.RM] as const,
      responses: { 200: { description: 'Activities', schema: PosterActivities } },
    },
    listMyManagedCustomers: {
      method: 'get',
      path: '/rm/customers',
      operationId: 'listMyManagedCustomers',
      summary: '我服务的客户（脱敏）与来源，新的在前',
      tags: ['rm'],
      access: [Role.RM] as const,
      query: PageQuery,
      responses: { 200: { description: 'A page', schema: RmCustomerPage } },
    },
    getMyReferralFigures: {
      method: 'get',
      path: '/rm/figures',
      operationId: 'getMyReferralFigures',
      summary: '我的获客数据',
      tags: ['rm'],
      access: [Role.RM] as const,
      responses: { 200: { description: 'Figures', schema: RmFigures } },
    },
    getReferralTree: {
      method: 'get',
      path: '/admin/customers/:id/referral-tree',
      operationId: 'getReferralTree',
      summary: '客户的推荐链：上游与下游（限深度与人数）',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      query: ReferralTreeQuery,
      responses: { 200: { description: 'The chain', schema: ReferralTree } },
    },
    getInviteStats: {
      method: 'get',
      path: '/admin/activities/:id/invite-stats',
      operationId: 'getInviteStats',
      summary: '邀请活动数据：邀请数、达标数、K 因子、达标用时',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: InviteStats } },
    },
    checkReferralInvariants: {
      method: 'get',
      path: '/admin/activities/:id/referral-invariants',
      operationId: 'checkReferralInvariants',
      summary: '助力、邀请活动奖励核对：每个集齐的助力、每位达标的被邀请人，其奖励均已按结算发放、待审、驳回或因预算用尽未发，且无超过租期仍未完成的承诺',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      responses: { 200: { description: 'The check, now, from the activity’s first assist or qualification', schema: ReferralInvariants } },
    },
    listManagedCustomers: {
      method: 'get',
      path: '/admin/rms/:id/customers',
      operationId: 'listManagedCustomers',
      summary: '某客户经理服务的客户（本机构及下级机构的客户经理）',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      query: PageQuery,
      responses: { 200: { description: 'A page', schema: RmCustomerPage } },
    },
    getManagerFigures: {
      method: 'get',
      path: '/admin/rms/:id/figures',
      operationId: 'getManagerFigures',
      summary: '某客户经理的获客数据',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      responses: { 200: { description: 'Figures', schema: RmFigures } },
    },
    requestHandover: {
      method: 'post',
      path: '/admin/rm-handovers',
      operationId: 'requestHandover',
      summary: '申请离职继承：把客户经理的全部或部分客户移交给另一位客户经理（须另一人审批）',
      tags: ['admin:referrals'],
      access: [Role.ADMIN],
      body: HandoverRequest,
      responses: { 201: { description: 'Requested', schema: Handover, links: { ...decisionLinks('Handover'), ...linksTo(['getHandover'], { id: '$response.body#/id' }) } } },
    },
    getHandover: {
      method: 'get',
      path: '/admin/rm-handovers/:id',
      operationId: 'getHandover',
      summary: '离职继承进度与逐个客户的结果',
      tags: ['admin:referrals'],
      access: [Role.ADMIN, Role.REVIEWER] as const,
      params: IdParams,
      responses: { 200: { description: 'The report', schema: HandoverReport } },
    },
  }),
};
