import { z } from 'zod';
import { endpoints, linksTo } from '../api/endpoint';
import { IdempotencyKeyHeader, IdParams } from './common';
import { Role } from '../roles';
import { CodeUpload, CodeUploadResult, OrderPageQuery } from './mall';
import { absent, statedRules, trimmedText, whenField } from './common';

/** The most one prize may be worth (有奖销售: a lucky-draw prize above 50,000 yuan is unlawful). */
const MAX_PRIZE_VALUE_YUAN = 50_000;

const prizeCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '奖品编码只能包含字母、数字、下划线和横线');

const PRIZE_KINDS = ['points', 'coupon', 'physical', 'mall_item', 'none'] as const;
export const prizeKindNamesZh: Record<(typeof PRIZE_KINDS)[number], string> = { points: '积分', coupon: '优惠券', physical: '实物奖品', mall_item: '商城好礼', none: '谢谢参与' };

export const DrawPrize = z
  .object({
    code: prizeCode.describe('The bank’s code for this prize, unique in the draw'),
    name: trimmedText(1).max(20).describe('Shown on the grid and in the rules; the rules text must name it'),
    kind: z.enum(PRIZE_KINDS).describe('none: 谢谢参与; mall_item: a points-mall item (实物好礼 or 银行特权), its units set aside from the mall stock when the draw is approved'),
    itemCode: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional()
      .describe('For a mall_item prize: the mall item’s code'),
    points: z.number().int().min(1).max(100_000).optional().describe('For a points prize: how many'),
    validDays: z.number().int().min(1).max(366).optional().describe('For a coupon: days it is valid from the win'),
    valueYuan: z.number().min(0).max(MAX_PRIZE_VALUE_YUAN, `单个奖品价值不得超过 ${MAX_PRIZE_VALUE_YUAN} 元`),
    weight: z.number().int().min(0).max(1_000_000).describe('Relative odds: this weight over the sum of all weights'),
    quantity: z.number().int().min(1).max(10_000_000).optional().describe('How many can be won in all; required except for the fallback'),
    dailyCap: z.number().int().min(1).optional().describe('At most this many won a day (bank time)'),
    perCustomerCap: z.number().int().min(1).optional().describe('At most this many won by one customer'),
  })
  .refine((p) => (p.kind === 'points') === (p.points !== undefined), { message: '积分奖品须填写积分数，其他奖品不填', path: ['points'] })
  .refine((p) => p.kind === 'coupon' || p.validDays === undefined, { message: '只有优惠券奖品填写有效天数', path: ['validDays'] })
  .refine((p) => (p.kind === 'mall_item') === (p.itemCode !== undefined), { message: '商城商品奖品须填写商品编码，其他奖品不填', path: ['itemCode'] })
  .describe(statedRules('a points prize has points, and no other kind does; only a coupon has validDays; a mall_item prize has itemCode, and no other kind does.'))
  // The same rules, for the document; and what DrawSettings' rules ask of each prize: only the
  // fallback is of kind none, unlimited, and every other prize has a quantity and a weight.
  .meta({
    allOf: [
      whenField('kind', ['points'], { required: ['points'] }, absent('points')),
      whenField('kind', ['coupon'], {}, absent('validDays')),
      whenField('kind', ['mall_item'], { required: ['itemCode'] }, absent('itemCode')),
      whenField(
        'kind',
        ['none'],
        { allOf: [absent('quantity'), absent('dailyCap'), absent('perCustomerCap')] },
        { required: ['quantity'], properties: { weight: { minimum: 1 } } },
      ),
    ],
  });
export type DrawPrize = z.infer<typeof DrawPrize>;

export const DrawSettings = z
  .object({
    prizes: z.array(DrawPrize).min(2).max(8).describe('Up to eight: the cells of the nine grid'),
    fallbackCode: prizeCode.describe('The 谢谢参与 prize: drawn when nothing else is, and where a prize’s weight goes once it runs out'),
    guarantee: z
      .object({ afterLosses: z.number().int().min(1).max(100) })
      .optional()
      .describe('保底: after this many consecutive draws without a prize, the next one wins a prize still available'),
    costPoints: z.number().int().min(0).max(100_000).default(0).describe('Points for one chance; 0: chances cannot be bought'),
    quotas: z
      .object({ perDay: z.number().int().min(1).optional(), perMonth: z.number().int().min(1).optional(), total: z.number().int().min(1).optional() })
      .default({})
      .describe('Draws one customer may make'),
    claimDays: z.number().int().min(1).max(90).default(30).describe('Days a physical prize may be claimed with an address after the win'),
    checkinChances: z
      .object({ everyDays: z.number().int().min(1).max(31), chances: z.number().int().min(1).max(10) })
      .optional()
      .describe('签到送机会: each time a customer’s check-in streak reaches a multiple of everyDays, this many chances'),
  })
  .superRefine((s, ctx) => {
    const codes = s.prizes.map((p) => p.code);
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['prizes'], message: '奖品编码不能重复' });
    const fallback = s.prizes.find((p) => p.code === s.fallbackCode);
    if (!fallback) ctx.addIssue({ code: 'custom', path: ['fallbackCode'], message: '兜底奖品须是奖品之一' });
    else if (fallback.kind !== 'none' || fallback.quantity !== undefined || fallback.dailyCap !== undefined || fallback.perCustomerCap !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['fallbackCode'], message: '兜底奖品须为“谢谢参与”类，且不限数量' });
    }
    s.prizes.forEach((p, i) => {
      if (p.code === s.fallbackCode) return;
      if (p.kind === 'none') ctx.addIssue({ code: 'custom', path: ['prizes', i, 'kind'], message: '“谢谢参与”只能是兜底奖品' });
      if (p.quantity === undefined) ctx.addIssue({ code: 'custom', path: ['prizes', i, 'quantity'], message: '奖品须填写数量' });
      if (p.weight === 0) ctx.addIssue({ code: 'custom', path: ['prizes', i, 'weight'], message: '奖品权重须大于 0' });
    });
    if (s.prizes.reduce((sum, p) => sum + p.weight, 0) === 0) ctx.addIssue({ code: 'custom', path: ['prizes'], message: '权重之和须大于 0' });
  })
  .describe(
    statedRules(
      'prize codes are unique; fallbackCode is the code of a prize of kind none without quantity, dailyCap or perCustomerCap; every other prize is of another kind and has a quantity and a weight above 0.',
    ),
  );
export type DrawSettings = z.infer<typeof DrawSettings>;

/** What the rules page shows of each prize, before anyone draws. */
const PublicPrize = z.object({
  code: z.string(),
  name: z.string(),
  kind: DrawPrize.shape.kind,
  quantity: z.number().int().nullable().describe('null: unlimited (the fallback)'),
  left: z.number().int().nullable().describe('Still to be won; null for the fallback'),
  oddsPercent: z.number().describe('Weight over the sum of weights, as published (before any prize runs out)'),
  dailyCap: z.number().int().nullable(),
  perCustomerCap: z.number().int().nullable(),
  validDays: z.number().int().nullable(),
});

export const MyDraw = z.object({
  activityId: z.string(),
  title: z.string(),
  rules: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  open: z.boolean().describe('false before the start: an approved draw’s rules, prizes and odds are published (开奖前公示), drawing and buying chances open at startAt'),
  prizes: z.array(PublicPrize),
  fallbackCode: z.string(),
  chances: z.number().int().describe('Chances left'),
  costPoints: z.number().int().describe('0: chances cannot be bought'),
  drawsLeft: z.object({ today: z.number().int().nullable(), month: z.number().int().nullable(), total: z.number().int().nullable() }).describe('null: no quota'),
  guarantee: z.object({ afterLosses: z.number().int(), lossesSoFar: z.number().int() }).nullable(),
  claimDays: z.number().int(),
  allSoldOut: z.boolean().describe('Every real prize is gone: drawing can only give 谢谢参与'),
});
export type MyDraw = z.infer<typeof MyDraw>;

const DrawPrizeState = z.enum(['none', 'issued', 'to_claim', 'claimed', 'shipped', 'expired']);

export const DrawOutcome = z.object({
  drawId: z.string(),
  prizeCode: z.string(),
  prizeName: z.string(),
  kind: DrawPrize.shape.kind,
  won: z.boolean().describe('false: 谢谢参与'),
  guaranteed: z.boolean().describe('Won by the guarantee (保底)'),
  cellIndex: z.number().int().describe('Where the prize sits on the grid (its place in the prize list)'),
  state: DrawPrizeState,
  points: z.number().int().nullable(),
  couponCode: z.string().nullable(),
  claimBy: z.string().nullable().describe('For a physical prize: the last moment to claim it'),
  chancesLeft: z.number().int(),
  at: z.string(),
});
export type DrawOutcome = z.infer<typeof DrawOutcome>;

const DrawResultParams = z.object({ drawId: z.string().regex(/^[a-f0-9]{24}$/, '抽奖记录编号无效') });
const ClaimPrizeBody = z.object({ addressId: z.string().min(1).max(64) }).strict();
const ChancePurchase = z.object({ chances: z.number().int(), pointsSpent: z.number().int(), balance: z.number().int() });

export const MyDrawPrize = z.object({
  drawId: z.string(),
  activityId: z.string(),
  activityTitle: z.string(),
  prizeName: z.string(),
  kind: DrawPrize.shape.kind,
  state: DrawPrizeState,
  points: z.number().int().nullable(),
  couponCode: z.string().nullable(),
  validUntil: z.string().nullable(),
  claimBy: z.string().nullable(),
  orderId: z.string().nullable().describe('A mall_item prize: its points-mall order (fulfilled and shipped by the mall), once issued'),
  shipping: z.object({ name: z.string(), phone: z.string(), region: z.string(), detail: z.string(), carrier: z.string().nullable(), trackingNo: z.string().nullable() }).nullable(),
  at: z.string(),
});
const MyDrawPrizePage = z.object({ items: z.array(MyDrawPrize), nextBefore: z.number().int().nullable() });
export type MyDrawPrize = z.infer<typeof MyDrawPrize>;

export const DrawStats = z.object({
  activityId: z.string(),
  draws: z.number().int(),
  prizes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: DrawPrize.shape.kind,
      quantity: z.number().int().nullable(),
      won: z.number().int(),
      left: z.number().int().nullable(),
      codes: z.object({ poolSize: z.number().int(), assigned: z.number().int() }).nullable().describe('A coupon prize’s code pool; null for other prizes'),
      expectedPercent: z.number().describe('Published odds'),
      actualPercent: z.number().describe('Share of all draws so far'),
    }),
  ),
  chances: z.object({ granted: z.number().int(), bought: z.number().int(), spent: z.number().int(), remaining: z.number().int() }),
});

const ShipPrizeBody = z
  .object({
    carrier: trimmedText(1).max(20),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{6,40}$/, '运单号格式不正确'),
  })
  .strict();
const DrawInvariantQuery = z.object({
  cursor: z.string().min(1).max(400).optional().describe('`next` of the previous page; left out, the check starts from the beginning'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Results, or customers, one page checks at most'),
});
const DrawInvariantReport = z
  .object({
    activityId: z.string(),
    /** What this page checked: add them up across pages. */
    checkedDraws: z.number().int(),
    checkedCustomers: z.number().int(),
    violations: z.array(z.string()),
    /** Pass as `cursor` for the next page; null on the last. */
    next: z.string().nullable(),
    /** True only on the last page: with the pages before it, every result and customer there when the check started has been checked. */
    complete: z.boolean(),
  })
  .meta({ id: 'DrawInvariantReport' });

const WinnersQuery = z.object({
  after: z
    .string()
    .regex(/^[a-f0-9]{24}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const Winner = z.object({
  drawId: z.string(),
  customerId: z.string(),
  phone: z.string().nullable().describe('Masked'),
  prizeCode: z.string(),
  prizeName: z.string(),
  kind: DrawPrize.shape.kind,
  guaranteed: z.boolean(),
  at: z.string(),
  claimed: z.boolean(),
  shipped: z.boolean(),
  address: z
    .object({ name: z.string(), phone: z.string(), region: z.string(), detail: z.string() })
    .nullable()
    .describe('Where a claimed physical prize goes: in full for admins (who ship; each read audited), masked for reviewers'),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
});
const WinnersPage = z.object({ items: z.array(Winner), next: z.string().nullable() });
const ShipResult = z.object({ drawId: z.string(), carrier: z.string(), trackingNo: z.string(), shippedAt: z.string() });
const DrawPrizeCodeParams = z.object({ id: z.string().min(1).max(64), prizeCode: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });

export const STAFF_READERS = [Role.ADMIN, Role.REVIEWER];

export const drawsApi = endpoints({
  getMyDraw: {
    method: 'get',
    path: '/activities/:id/draw',
    operationId: 'getMyDraw',
    summary: '抽奖活动：奖品、数量、概率、保底与规则（开奖前公示），我的抽奖机会与剩余次数',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    params: IdParams,
    responses: { 200: { description: 'The draw as published, with my chances', schema: MyDraw } },
  },
  drawOnce: {
    method: 'post',
    path: '/activities/:id/draw/draws',
    operationId: 'drawOnce',
    summary: '抽一次（消耗一次机会；须带 Idempotency-Key，同一个 key 重试返回同一结果）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    params: IdParams,
    headers: IdempotencyKeyHeader,
    responses: {
      200: { description: 'The outcome, decided on the server', schema: DrawOutcome, links: linksTo(['claimMyDrawPrize', 'shipDrawPrize'], { drawId: '$response.body#/drawId' }) },
    },
  },
  buyDrawChance: {
    method: 'post',
    path: '/activities/:id/draw/chances',
    operationId: 'buyDrawChance',
    summary: '用积分兑换一次抽奖机会（须带 Idempotency-Key，同一个 key 只扣一次积分）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    params: IdParams,
    headers: IdempotencyKeyHeader,
    responses: { 200: { description: 'Chances and points after the purchase', schema: ChancePurchase } },
  },
  listMyDrawPrizes: {
    method: 'get',
    path: '/me/draw-prizes',
    operationId: 'listMyDrawPrizes',
    summary: '我的奖品：抽奖所得（新的在前），含状态、券码与物流',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    query: OrderPageQuery,
    responses: { 200: { description: 'A page of prizes won', schema: MyDrawPrizePage, links: linksTo(['claimMyDrawPrize'], { drawId: '$response.body#/items/0/drawId' }) } },
  },
  claimMyDrawPrize: {
    method: 'post',
    path: '/me/draw-prizes/:drawId/claim',
    operationId: 'claimMyDrawPrize',
    summary: '用收货地址领取实物奖品（领取期限内；重复领取返回首次的地址）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    params: DrawResultParams,
    body: ClaimPrizeBody,
    responses: { 200: { description: 'The prize, claimed', schema: MyDrawPrize } },
  },
  getDrawStats: {
    method: 'get',
    path: '/admin/draws/:id/stats',
    operationId: 'getDrawStats',
    summary: '抽奖结果：每个奖品的公示概率与实际占比、已中与剩余数量、抽奖机会收支',
    tags: ['admin:draws'],
    access: STAFF_READERS,
    params: IdParams,
    responses: { 200: { description: 'Expected against actual', schema: DrawStats } },
  },
  listDrawWinners: {
    method: 'get',
    path: '/admin/draws/:id/winners',
    operationId: 'listDrawWinners',
    summary: '中奖名单（脱敏，按抽奖记录编号分页）',
    tags: ['admin:draws'],
    access: STAFF_READERS,
    params: IdParams,
    query: WinnersQuery,
    responses: { 200: { description: 'A page of winners', schema: WinnersPage } },
  },
  exportDrawWinners: {
    method: 'get',
    path: '/admin/draws/:id/winners.csv',
    operationId: 'exportDrawWinners',
    summary: '导出中奖名单 CSV（脱敏）',
    tags: ['admin:draws'],
    access: STAFF_READERS,
    params: IdParams,
    responses: { 200: { description: 'Every winner, as CSV', contentType: 'text/csv' } },
  },
  checkDrawInvariants: {
    method: 'get',
    path: '/admin/draws/:id/invariants',
    operationId: 'checkDrawInvariants',
    summary: '抽奖账实核对（分页）：奖品不超量不超限、机会收支相符、每次消耗恰有一个结果、积分兑换机会与扣减相符、每个结果可复现',
    tags: ['admin:draws'],
    access: STAFF_READERS,
    params: IdParams,
    query: DrawInvariantQuery,
    responses: { 200: { description: 'Violations found in this page (`next`: where the following page starts; `complete` on the last)', schema: DrawInvariantReport } },
  },
  uploadDrawPrizeCodes: {
    method: 'post',
    path: '/admin/draws/:id/prizes/:prizeCode/codes',
    operationId: 'uploadDrawPrizeCodes',
    summary: '为优惠券奖品上传券码（重复券码自动跳过）',
    tags: ['admin:draws'],
    access: [Role.ADMIN],
    params: DrawPrizeCodeParams,
    body: CodeUpload,
    responses: { 200: { description: 'Pool after upload', schema: CodeUploadResult } },
  },
  shipDrawPrize: {
    method: 'post',
    path: '/admin/draw-results/:drawId/ship',
    operationId: 'shipDrawPrize',
    summary: '实物奖品发货（客户领取后；重复发货返回首次的运单）',
    tags: ['admin:draws'],
    access: [Role.ADMIN],
    params: DrawResultParams,
    body: ShipPrizeBody,
    responses: { 200: { description: 'Shipped', schema: ShipResult } },
  },
});
