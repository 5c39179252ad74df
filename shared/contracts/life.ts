import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { Role } from '../roles';
import { IdParams } from './common';
import { statedRules, trimmedText } from './common';
import { checkWebviewUrl, PARTNER_MINIPROGRAMS, SERVICE_CATEGORIES } from '../life-rules';
import { ImageRef } from './media';
import { adminDocument } from './review';
import { TagExpression } from './targeting';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const isoDateTime = z.iso.datetime({ offset: true });

/**
 * An address a customer opens in web-view: https, no userinfo, no backslash, no port
 * (`checkWebviewUrl`). Whether its domain is on the bank's allowlist is the BFF's to say, at
 * upload, edit, submission, approval and every read; what it hands out is the normalised form.
 */
export const WebviewUrl = z
  .url({ protocol: /^https$/ })
  .max(500)
  .superRefine((url, ctx) => {
    const checked = checkWebviewUrl(url);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
  });

export const ServiceTarget = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('miniprogram'),
      appId: z
        .string()
        .refine((id) => id in PARTNER_MINIPROGRAMS, { message: '只能打开本小程序已声明的合作小程序' })
        .describe(statedRules('one of the partner mini-programs this mini-program declares.')),
      path: z
        .string()
        .regex(/^[A-Za-z0-9/_.-]{0,128}(\?[A-Za-z0-9=&_.-]{0,128})?$/)
        .default(''),
    })
    .strict(),
  z
    .object({
      kind: z.literal('web'),
      url: WebviewUrl.describe(
        "Shown in web-view only while its domain is on the bank's allowlist; handed out normalised. One with userinfo, a backslash or a port, or off the allowlist when saved, is refused 422 (VALIDATION_RULE_FAILED)",
      ),
    })
    .strict(),
  z.object({ kind: z.literal('page'), path: z.string().regex(/^\/(pages|packages)\/[a-z0-9/_-]{1,100}(\?[A-Za-z0-9=&_-]{0,100})?$/, '须为本小程序的页面路径') }).strict(),
]);
export type ServiceTarget = z.infer<typeof ServiceTarget>;
export const serviceTargetKindNamesZh: Record<ServiceTarget['kind'], string> = { miniprogram: '合作小程序', web: '网页', page: '本小程序页面' };

/** One entry of the 生活 grid, reviewed like an activity. */
export const LifeServiceInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('life_service'),
    orgUnitId: z.string().min(1).max(64),
    category: z.enum(SERVICE_CATEGORIES),
    name: trimmedText(2).max(12),
    description: trimmedText(1).max(40),
    icon: ImageRef.optional(),
    target: ServiceTarget,
    eligibility: TagExpression.optional().describe('Only customers whose tags match; everyone when left out'),
    order: z.number().int().min(0).max(999).default(100).describe('Lower first within its category'),
    pinned: z.boolean().default(false).describe('Also shown at the top of 生活'),
    hours: z
      .object({ open: z.string().regex(CLOCK), close: z.string().regex(CLOCK) })
      .strict()
      .optional()
      .describe('Bank time; outside them the service shows as closed'),
    maintenance: z
      .object({ notice: trimmedText(1).max(60), from: isoDateTime, to: isoDateTime })
      .strict()
      .optional(),
  })
  .strict();
export type LifeServiceInput = z.infer<typeof LifeServiceInput>;
const AdminLifeService = adminDocument(['life_service'], 'AdminLifeService');

export const LifeService = z.object({
  id: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  name: z.string(),
  description: z.string(),
  icon: z.string().nullable(),
  target: ServiceTarget,
  pinned: z.boolean(),
  available: z.boolean().describe('Open now (its hours) and not under maintenance'),
  notice: z.string().nullable().describe('Why it is unavailable, or a maintenance notice ahead'),
});
export type LifeService = z.infer<typeof LifeService>;

export const LifeHome = z.object({
  pinned: z.array(LifeService),
  categories: z.array(z.object({ category: z.enum(SERVICE_CATEGORIES), name: z.string(), services: z.array(LifeService) })),
  notices: z.array(z.string()).describe('Maintenance notices of services on the page'),
});
export type LifeHome = z.infer<typeof LifeHome>;

const ServiceOpened = z.object({ target: ServiceTarget, firstUse: z.boolean() });

/** 生活服务 as head office reviews them. */
export const lifeServiceReview = reviewedOperations({
  path: '/admin/life/services',
  tag: 'admin:life',
  noun: { one: 'LifeService', many: 'LifeServices' },
  label: '生活服务',
  input: LifeServiceInput,
  admin: AdminLifeService,
  csvNote: 'target、eligibility、hours、maintenance、pinned 列为 JSON',
});

const customerLife = { tags: ['customer:life'], access: [Role.CUSTOMER] } as const;

export const lifeApi = {
  ...byOperationId(lifeServiceReview),
  ...endpoints({
    getLifeHome: {
      ...customerLife,
      method: 'get',
      path: '/life',
      operationId: 'getLifeHome',
      summary: '生活：按分类的服务宫格（仅对我开放、网页域名在白名单内的）、置顶服务与维护公告',
      responses: { 200: { description: 'The 生活 page', schema: LifeHome } },
    },
    viewLifeService: {
      ...customerLife,
      method: 'get',
      path: '/life/services/:id',
      operationId: 'viewLifeService',
      summary: '一项生活服务（仅对我开放、网页地址当前在白名单内的）：网页服务页按编号取地址，只打开 BFF 给出的规范化地址',
      params: IdParams,
      responses: { 200: { description: 'The service', schema: LifeService } },
    },
    openLifeService: {
      ...customerLife,
      method: 'post',
      path: '/life/services/:id/open',
      operationId: 'openLifeService',
      summary: '打开生活服务：返回可打开的目标；首次使用完成「首次使用生活服务」任务',
      params: IdParams,
      responses: { 200: { description: 'Where to go', schema: ServiceOpened }, 409: { description: 'Closed or under maintenance' } },
    },
  }),
};
