import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { BulkUploadQuery } from './review';

/** Value tiers one bank uses: V0 overdue … V5 VIP. */
export const TIERS = ['V0', 'V1', 'V2', 'V3', 'V4', 'V5'] as const;
export const Tier = z.enum(TIERS);
export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export const riskLevelNamesZh: Record<(typeof RISK_LEVELS)[number], string> = { R1: 'R1 低风险', R2: 'R2 中低风险', R3: 'R3 中风险', R4: 'R4 中高风险', R5: 'R5 高风险' };
export const FUNDS_CAPACITY = ['low', 'medium', 'high'] as const;
export const fundsCapacityNamesZh: Record<(typeof FUNDS_CAPACITY)[number], string> = { low: '较低', medium: '中等', high: '较高' };

/** A targeting expression, as structured data rather than a string to parse. */
export type TagExpression =
  | { all: TagExpression[] }
  | { any: TagExpression[] }
  | { not: TagExpression }
  | { tier: (typeof TIERS)[number][] }
  | { risk: (typeof RISK_LEVELS)[number][] }
  | { funds: (typeof FUNDS_CAPACITY)[number][] }
  | { interest: string }
  | { tag: string }
  | { list: string }
  | { newCustomer: boolean };

export const TagExpression: z.ZodType<TagExpression> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(TagExpression).min(1).max(20) }).strict(),
      z.object({ any: z.array(TagExpression).min(1).max(20) }).strict(),
      z.object({ not: TagExpression }).strict(),
      z.object({ tier: z.array(Tier).min(1) }).strict(),
      z.object({ risk: z.array(z.enum(RISK_LEVELS)).min(1) }).strict(),
      z.object({ funds: z.array(z.enum(FUNDS_CAPACITY)).min(1) }).strict(),
      z.object({ interest: z.string().min(1).max(32) }).strict(),
      z.object({ tag: z.string().min(1).max(32) }).strict(),
      z.object({ list: z.string().min(1).max(64) }).strict(),
      z.object({ newCustomer: z.boolean() }).strict(),
    ]),
  )
  .meta({ id: 'TagExpression' });

export const Targeting = z.discriminatedUnion('mode', [z.object({ mode: z.literal('everyone') }), z.object({ mode: z.literal('tags'), expression: TagExpression })]);
export type Targeting = z.infer<typeof Targeting>;
export const targetingModeNamesZh: Record<Targeting['mode'], string> = { everyone: '全部客户', tags: '按标签圈选' };

/**
 * A phone number as the bank's systems and the BFF exchange it, here and in events
 * (`customer.phone_bound`): HMAC-SHA256 of the 11-digit number, keyed with the secret the bank
 * shares with the BFF (`PII_HASH_SECRET`), in lower-case hex. Never a plain SHA-256: beside the
 * masked number it reverses in at most 10⁴ guesses.
 */
const PhoneHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('HMAC-SHA256 of the 11-digit mobile number, keyed with the secret shared with the bank (PII_HASH_SECRET), hex');

/** How the bank's systems name a customer: by id, openid or the keyed hash of the phone number (exactly one). */
export const customerRefFields = {
  customerId: z.string().min(1).max(64).optional(),
  openid: z.string().min(1).max(64).optional(),
  phoneHash: PhoneHash.optional(),
};
export const hasOneCustomerRef = [
  (r: { customerId?: string; openid?: string; phoneHash?: string }) => [r.customerId, r.openid, r.phoneHash].filter(Boolean).length === 1,
  { message: '须且只能填写 customerId、openid、phoneHash 中的一项' },
] as const;
/** `hasOneCustomerRef` as JSON Schema, for the document. */
export const oneCustomerRefJsonSchema = { oneOf: [{ required: ['customerId'] }, { required: ['openid'] }, { required: ['phoneHash'] }] };

/** One row of a tag upload: the customer, and what the bank knows of them. */
export const CustomerTagRow = z
  .object({
    ...customerRefFields,
    tier: Tier.optional(),
    risk: z.enum(RISK_LEVELS).optional(),
    funds: z.enum(FUNDS_CAPACITY).optional(),
    interests: z.array(z.string().min(1).max(32)).max(20).optional(),
    tags: z.array(z.string().min(1).max(32)).max(50).optional(),
    lists: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .refine(...hasOneCustomerRef)
  .meta(oneCustomerRefJsonSchema);
export type CustomerTagRow = z.infer<typeof CustomerTagRow>;

export const CustomerTagUpload = z.object({ items: z.array(CustomerTagRow).min(1).max(5000) });
export const CustomerTagUploadResult = z.object({
  applied: z.number().int(),
  unchanged: z.number().int(),
  unknown: z.array(z.object({ row: z.number().int(), key: z.string() })),
  dryRun: z.boolean().describe('true: what the upload would change; nothing was saved'),
});
export type CustomerTagUploadResult = z.infer<typeof CustomerTagUploadResult>;

/** How many customers a targeting expression reaches now, out of every customer. */
export const AudienceEstimate = z
  .object({
    matched: z.number().int(),
    total: z.number().int(),
    estimatedAt: z.string().describe('When the count was taken (it may be up to a minute old)'),
  })
  .meta({ id: 'AudienceEstimate' });
export type AudienceEstimate = z.infer<typeof AudienceEstimate>;

/** The tags, interests and lists the bank has uploaded: what an audience can be built from. */
export const AudienceVocabulary = z.object({ tags: z.array(z.string()), interests: z.array(z.string()), lists: z.array(z.string()) }).meta({ id: 'AudienceVocabulary' });

export const targetingApi = endpoints({
  estimateAudience: {
    method: 'post',
    path: '/admin/audience/estimate',
    operationId: 'estimateAudience',
    summary: '估算目标客群人数：按标签、等级、名单等条件圈选的客户数与全行客户数（一分钟内的结果可能复用）',
    tags: ['admin:targeting'],
    access: [Role.ADMIN, Role.REVIEWER],
    body: z.object({ expression: TagExpression.optional().describe('Left out: every customer') }),
    responses: { 200: { description: 'The count', schema: AudienceEstimate } },
  },
  getAudienceVocabulary: {
    method: 'get',
    path: '/admin/audience/vocabulary',
    operationId: 'getAudienceVocabulary',
    summary: '可用于圈选的标签、兴趣与名单（银行已上传的）',
    tags: ['admin:targeting'],
    access: [Role.ADMIN, Role.REVIEWER],
    responses: { 200: { description: 'What has been uploaded', schema: AudienceVocabulary } },
  },
  uploadCustomerTags: {
    method: 'post',
    path: '/admin/customer-tags',
    operationId: 'uploadCustomerTags',
    summary: '批量上传客户标签与名单（按客户号、openid 或手机号哈希），幂等，并报告未知客户',
    tags: ['admin:targeting'],
    access: [Role.ADMIN],
    query: BulkUploadQuery,
    body: CustomerTagUpload,
    responses: { 200: { description: 'What changed (or, in a dry run, would change)', schema: CustomerTagUploadResult } },
  },
  uploadCustomerTagsCsv: {
    method: 'post',
    path: '/admin/customer-tags/csv',
    operationId: 'uploadCustomerTagsCsv',
    summary: '以 CSV 上传客户标签与名单（UTF-8，可带 BOM；列 customerId/openid/phoneHash、tier、risk、funds、interests、tags、lists，多个值以 | 分隔）',
    tags: ['admin:targeting'],
    access: [Role.ADMIN],
    textBody: 'text/csv',
    query: BulkUploadQuery,
    body: CustomerTagUpload,
    responses: { 200: { description: 'What changed (or, in a dry run, would change)', schema: CustomerTagUploadResult } },
  },
});
