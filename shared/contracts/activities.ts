import { z } from 'zod';
import { adminDocument } from './review';
import { Targeting } from './targeting';
import { ACTIVITY_TYPES, TASK_KINDS, type ActivityType } from '../activity-types';
import { ImageRef } from './media';
import { DrawSettings } from './draws';
import { answerIssues, BankCode, OptionId, QuestionOption } from './quiz-bank';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints, linksTo } from '../api/endpoint';
import { Role } from '../roles';
import { IdParams } from './common';
import { absent, statedRules, trimmedText } from './common';

export { ACTIVITY_TYPES, activityTypeNamesZh, TASK_KINDS, type ActivityType, type TaskKind } from '../activity-types';

const isoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2026-12-01T00:00:00+08:00');

const QUALIFYING_ACTIONS = ['register', 'bind_phone', 'open_account'] as const;
export const qualifyingActionNamesZh: Record<(typeof QUALIFYING_ACTIONS)[number], string> = { register: '注册', bind_phone: '绑定手机号', open_account: '开户' };
const TASK_FREQUENCIES = ['once', 'daily', 'weekly'] as const;
export const taskFrequencyNamesZh: Record<(typeof TASK_FREQUENCIES)[number], string> = { once: '仅一次', daily: '每天', weekly: '每周' };
/** What a 生活服务 activity promotes (not the life catalogue's own categories, shared/life-rules.ts). */
const SERVICE_ACTIVITY_CATEGORIES = ['bill_payment', 'social_security', 'transport', 'coupon'] as const;
export const serviceActivityCategoryNamesZh: Record<(typeof SERVICE_ACTIVITY_CATEGORIES)[number], string> = {
  bill_payment: '生活缴费',
  social_security: '社保公积金',
  transport: '交通出行',
  coupon: '优惠券',
};

export const Reward = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('points'), amount: z.number().int().min(1).max(1_000_000) }),
  z.object({ kind: z.literal('coupon'), name: z.string().min(1).max(40), validDays: z.number().int().min(1).max(366) }),
  z.object({
    kind: z.literal('draw_chance'),
    count: z.number().int().min(1).max(10),
    drawCode: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional()
      .describe('The draw (its activity code) these chances are for'),
  }),
  z.object({ kind: z.literal('physical'), name: z.string().min(1).max(40) }),
]);
export type Reward = z.infer<typeof Reward>;
export const rewardKindNamesZh: Record<Reward['kind'], string> = { points: '积分', coupon: '优惠券', draw_chance: '抽奖机会', physical: '实物奖品' };
/** What a reward pays, in words: 200 积分, 优惠券「咖啡券」. */
export function rewardText(reward: Reward): string {
  switch (reward.kind) {
    case 'points':
      return `${reward.amount} 积分`;
    case 'draw_chance':
      return `${reward.count} 次抽奖机会`;
    default:
      return `${rewardKindNamesZh[reward.kind]}「${reward.name}」`;
  }
}

const settingsByType = {
  quiz: z
    .object({
      questions: z
        .array(
          z.object({
            text: z.string().min(1).max(200),
            options: z.array(QuestionOption).min(2).max(6),
            answer: OptionId.describe('The id of the right option'),
            explanation: z.string().min(1).max(300).optional().describe('Why the right answer is right: shown with it'),
          }),
        )
        .min(1)
        .max(50)
        .optional()
        .describe('Questions written into the quiz (each attempt answers all of them); or draw them from banks'),
      bank: z
        .object({ codes: z.array(BankCode).min(1).max(10), count: z.number().int().min(1).max(50), timeLimitSeconds: z.number().int().min(30).max(3600) })
        .optional()
        .describe('Draw `count` questions at random per attempt from these banks (题库), answered within the time limit'),
      passScore: z.number().int().min(1),
      safety: z
        .boolean()
        .optional()
        .describe('Safety education (反诈、防骗): the right answers and their explanations are shown after every submission, pass or not; otherwise only once passed'),
    })
    .refine((q) => (q.questions === undefined) !== (q.bank === undefined), { message: '题目须二选一：直接填写题目，或从题库抽题', path: ['questions'] })
    .refine((q) => q.passScore <= (q.questions?.length ?? q.bank?.count ?? 0), { message: '及格分不能超过题目数', path: ['passScore'] })
    .superRefine((q, ctx) =>
      (q.questions ?? []).forEach((question, i) => {
        for (const issue of answerIssues(question.options, [question.answer])) ctx.addIssue({ code: 'custom', ...issue, path: ['questions', i, ...issue.path] });
      }),
    )
    .describe(
      statedRules(
        'exactly one of questions and bank; passScore at most the questions of an attempt (as many as questions, or bank.count); each question’s option ids are distinct and its answer is the id of one of its options.',
      ),
    )
    // Exactly one of questions and bank, for the document.
    .meta({ oneOf: [{ required: ['questions'] }, { required: ['bank'] }] }),
  draw: DrawSettings,
  assist: z.object({
    helpersNeeded: z.number().int().min(1).max(50),
    validHours: z.number().int().min(1).max(720).describe('From the start of one customer’s assist'),
    newCustomersOnly: z.boolean().default(false).describe('Only customers who registered after the assist started may help'),
    onePerHelperPerDay: z.boolean().default(false).describe('A helper helps one assist a day, across this activity'),
  }),
  invite: z.object({
    qualifyingAction: z.enum(QUALIFYING_ACTIONS).describe('What the invited friend must do for the inviter’s reward (open_account: reported by the bank)'),
    maxInvitesPerCustomer: z.number().int().min(1).max(100).describe('Invitees one inviter is rewarded for'),
    welcomeReward: Reward.optional().describe('Paid to the invited friend when they qualify'),
  }),
  mall: z.object({ itemCodes: z.array(z.string().min(1).max(64)).max(200) }),
  task: z.object({ task: z.enum(TASK_KINDS), frequency: z.enum(TASK_FREQUENCIES) }),
  service: z.object({ category: z.enum(SERVICE_ACTIVITY_CATEGORIES), partner: z.string().max(40).optional() }),
  live: z.object({ roomId: z.string().min(1).max(64), startsAt: isoDateTime }),
} satisfies Record<ActivityType, z.ZodType>;

const ActivityBase = z.object({
  code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '活动编码只能包含字母、数字、下划线和横线')
    .describe('The bank’s own activity code; unique'),
  orgUnitId: z.string().min(1).max(64),
  title: trimmedText(1).max(40),
  description: z.string().max(500).default(''),
  rules: trimmedText(1).max(5000).describe('Published before the activity starts'),
  images: z.object({ banner: ImageRef.optional(), cover: ImageRef.optional() }).default({}),
  schedule: z.object({ startAt: isoDateTime, endAt: isoDateTime }),
  targeting: Targeting.default({ mode: 'everyone' }),
  controlGroupPercent: z.number().int().min(0).max(50).default(0),
  priority: z.number().int().min(0).max(100).default(50),
  reward: Reward.optional().describe('Paid once per customer on participation'),
  budget: z.object({ maxRewards: z.number().int().min(1).max(10_000_000), maxPoints: z.number().int().min(1).optional() }),
});

/** The types that must have a participation reward, and the one that may not (rules of ActivityInput below), for the document. */
const REWARD_RULES: Partial<Record<ActivityType, object>> = { invite: { required: ['reward'] }, assist: { required: ['reward'] }, draw: absent('reward') };

function withType<T extends ActivityType>(type: T) {
  const schema = ActivityBase.extend({ type: z.literal(type), settings: settingsByType[type] });
  const rewardRule = REWARD_RULES[type];
  return rewardRule ? schema.meta({ allOf: [rewardRule] }) : schema;
}

export const ActivityInput = z
  .discriminatedUnion('type', [
    withType('quiz'),
    withType('draw'),
    withType('assist'),
    withType('invite'),
    withType('mall'),
    withType('task'),
    withType('service'),
    withType('live'),
  ])
  .refine((a) => Date.parse(a.schedule.endAt) > Date.parse(a.schedule.startAt), { message: '结束时间必须晚于开始时间', path: ['schedule', 'endAt'] })
  .refine((a) => a.reward?.kind !== 'points' || !a.budget.maxPoints || a.reward.amount <= a.budget.maxPoints, {
    message: '单次奖励积分不能超过积分预算',
    path: ['reward', 'amount'],
  })
  // WeChat 运营规范 §5.1 (诱导分享): a referral reward is fixed and announced, for a stated number of friends who take part.
  .superRefine((a, ctx) => {
    if (a.type !== 'invite' && a.type !== 'assist') return;
    if (!a.reward) ctx.addIssue({ code: 'custom', path: ['reward'], message: '邀请、助力活动须设定固定奖励' });
    const friends = a.type === 'assist' ? a.settings.helpersNeeded : a.settings.maxInvitesPerCustomer;
    if (!a.rules.includes(String(friends))) ctx.addIssue({ code: 'custom', path: ['rules'], message: `活动规则须写明所需好友人数（${friends}）` });
  })
  // 有奖销售: the published rules name every prize before anyone draws.
  .superRefine((a, ctx) => {
    if (a.type !== 'draw') return;
    const missing = a.settings.prizes.filter((p) => !a.rules.includes(p.name)).map((p) => p.name);
    if (missing.length) ctx.addIssue({ code: 'custom', path: ['rules'], message: `活动规则须列明全部奖品，缺少：${missing.join('、')}` });
    // Points prizes are paid through the activity's budget: it must hold every one of them.
    const pointsPrizes = a.settings.prizes.filter((p) => p.kind === 'points');
    const rewards = pointsPrizes.reduce((sum, p) => sum + (p.quantity ?? 0), 0);
    const points = pointsPrizes.reduce((sum, p) => sum + (p.quantity ?? 0) * (p.points ?? 0), 0);
    if (rewards > a.budget.maxRewards) ctx.addIssue({ code: 'custom', path: ['budget', 'maxRewards'], message: `预算须覆盖全部积分奖品（${rewards} 份）` });
    if (a.budget.maxPoints !== undefined && points > a.budget.maxPoints)
      ctx.addIssue({ code: 'custom', path: ['budget', 'maxPoints'], message: `积分预算须覆盖全部积分奖品（${points} 积分）` });
    if (a.reward) ctx.addIssue({ code: 'custom', path: ['reward'], message: '抽奖活动不设参与奖励，奖品在奖池中配置' });
  })
  .describe(
    statedRules(
      'schedule.endAt after schedule.startAt; a points reward’s amount at most budget.maxPoints; an invite or an assist has a reward, and its rules text states the number of friends (settings.maxInvitesPerCustomer or settings.helpersNeeded); a draw has no reward, its rules text names every prize, and its budget covers its points prizes (budget.maxRewards at least their quantities, budget.maxPoints at least their points).',
    ),
  );
export type ActivityInput = z.infer<typeof ActivityInput>;

const AdminActivity = adminDocument(ACTIVITY_TYPES, 'AdminActivity');
type AdminActivity = z.infer<typeof AdminActivity>;

/** What an invite's or an assist's card states: its wording is derived from these settings, not from a generic verb. */
export const ReferralTerms = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('invite'),
    qualifyingAction: settingsByType.invite.shape.qualifyingAction,
    friends: z.number().int().describe('Invited friends one inviter is rewarded for, at most; the reward is per friend'),
    welcomeReward: Reward.nullable().describe('What the invited friend gets'),
  }),
  z.object({ kind: z.literal('assist'), friends: z.number().int().describe('Friends whose help completes one assist; the reward is for completing it') }),
]);
export type ReferralTerms = z.infer<typeof ReferralTerms>;

/** What a customer sees of a live activity. */
export const CustomerActivity = z
  .object({
    id: z.string(),
    type: z.enum(ACTIVITY_TYPES),
    typeName: z.string(),
    title: z.string(),
    description: z.string(),
    rules: z.string(),
    images: z.object({ banner: z.string().optional(), cover: z.string().optional() }),
    startAt: z.string(),
    endAt: z.string(),
    reward: Reward.nullable(),
    referralTerms: ReferralTerms.nullable().describe('An invite’s or an assist’s terms, which its card states; null for other types'),
    joined: z.boolean(),
  })
  .meta({ id: 'CustomerActivity' });
export type CustomerActivity = z.infer<typeof CustomerActivity>;

const DismissRequest = z.object({ hideType: z.boolean().default(false) });

export const activityReview = reviewedOperations({
  path: '/admin/activities',
  tag: 'admin:activities',
  noun: { one: 'Activity', many: 'Activities' },
  label: '活动',
  input: ActivityInput,
  admin: AdminActivity,
  csvNote: 'targeting/settings/reward/images 列为 JSON',
  usedBy: ['getDrawStats', 'listDrawWinners', 'exportDrawWinners', 'checkDrawInvariants', 'getMyActivity'],
});

/** What a customer can do with an activity they see, by its id (its quiz and draw live in their own folders). */
const CUSTOMER_USES = ['joinActivity', 'dismissActivity', 'getMyQuiz', 'answerMyQuiz', 'startQuizAttempt', 'getQuizLeaderboard', 'getMyDraw', 'drawOnce', 'buyDrawChance'];

export const activitiesApi = {
  ...byOperationId(activityReview),
  ...endpoints({
    listMyActivities: {
      method: 'get',
      path: '/activities',
      operationId: 'listMyActivities',
      summary: '我可参与的进行中活动',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      query: z.object({
        view: z
          .enum(['feed', 'all'])
          .default('feed')
          .describe(
            'feed: 首页推荐, at most the daily cap of activities a customer is shown a day; all: 全部活动, every activity open to the customer, in priority order (browsing, not pushed: no daily slot taken)',
          ),
      }),
      responses: {
        200: {
          description: 'Eligible live activities',
          schema: z.object({ items: z.array(CustomerActivity) }),
          links: linksTo(['getMyActivity', ...CUSTOMER_USES], { id: '$response.body#/items/0/id' }),
        },
      },
    },
    listPublicActivities: {
      method: 'get',
      path: '/public/activities',
      operationId: 'listPublicActivities',
      summary: '首页预览：面向所有客户、不设对照组的进行中活动（未登录可看，不记录任何信息）',
      description:
        'What the mini-program shows on a first visit while the customer is still being signed in: live activities aimed at everyone with no control group, in priority order, none marked joined. Nothing about the caller is read or recorded.',
      tags: ['customer'],
      access: 'public',
      responses: { 200: { description: 'Live activities for everyone', schema: z.object({ items: z.array(CustomerActivity) }) } },
    },
    getMyActivity: {
      method: 'get',
      path: '/activities/:id',
      operationId: 'getMyActivity',
      summary: '活动详情',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The activity', schema: CustomerActivity, links: linksTo(CUSTOMER_USES, { id: '$response.body#/id' }) } },
    },
    joinActivity: {
      method: 'post',
      path: '/activities/:id/join',
      operationId: 'joinActivity',
      summary: '参与活动，领取参与奖励（每人一次，预算用完即止）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'Joined', schema: z.object({ joined: z.literal(true), rewardId: z.string().nullable(), duplicate: z.boolean() }) } },
    },
    dismissActivity: {
      method: 'post',
      path: '/activities/:id/dismiss',
      operationId: 'dismissActivity',
      summary: '不感兴趣：隐藏该活动（可选同类活动）一段时间',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      params: IdParams,
      body: DismissRequest,
      responses: { 204: { description: 'Hidden' } },
    },
  }),
};
