import { z } from 'zod';
import { customerRefFields, hasOneCustomerRef, oneCustomerRefJsonSchema } from './targeting';
import { endpoints } from '../api/endpoint';
import { BankSignedHeaders } from '../signed-requests';

/**
 * What the bank's systems report back: a life service used for the first time and a livestream
 * watched (they complete tasks), an account opened (it may qualify an invitation), and what the
 * analytics compare against control groups: a product bought, an AUM change, salary credited, a
 * deposit maturing.
 */
export const CONVERSION_KINDS = ['first_service', 'watch_live', 'open_account', 'product_bought', 'aum_change', 'salary_credited', 'deposit_maturing'] as const;
export const conversionKindNamesZh: Record<(typeof CONVERSION_KINDS)[number], string> = {
  first_service: '首次使用生活服务',
  watch_live: '观看直播',
  open_account: '开户',
  product_bought: '购买产品',
  aum_change: '资产（AUM）变动',
  salary_credited: '代发工资入账',
  deposit_maturing: '存款即将到期',
};
/** Kinds that complete a task of the same name. */
export const TASK_CONVERSIONS = ['first_service', 'watch_live'] as const;

export const ConversionReport = z
  .object({
    eventId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{8,128}$/)
      .describe('The reporting system’s own id: a repeat of it is acknowledged, not counted'),
    kind: z.enum(CONVERSION_KINDS),
    occurredAt: z.iso.datetime({ offset: true }),
    activityId: z.string().min(1).max(64).optional().describe('The activity the bank credits the conversion to, if any'),
    productCode: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional()
      .describe('product_bought, deposit_maturing: the product'),
    amountYuan: z.number().min(-1e12).max(1e12).optional().describe('product_bought, aum_change (signed), salary_credited, deposit_maturing: the amount'),
    ...customerRefFields,
  })
  .refine(...hasOneCustomerRef)
  .meta(oneCustomerRefJsonSchema);
export type ConversionReport = z.infer<typeof ConversionReport>;

const ConversionResult = z.object({ duplicate: z.boolean(), tasksPaid: z.number().int() });

export const conversionsApi = endpoints({
  reportConversion: {
    method: 'post',
    path: '/bank/conversions',
    operationId: 'reportConversion',
    summary:
      '银行系统回传转化：首次使用生活服务、观看直播（完成对应任务）、开户（邀请达标）、购买产品、资产变动、代发工资、存款到期（供效果分析）；须 HMAC 签名（方法、路径、时间戳、随机串与原始报文），随机串只可使用一次，按 eventId 幂等',
    tags: ['bank-systems'],
    access: 'public',
    signed: true,
    headers: BankSignedHeaders,
    body: ConversionReport,
    responses: { 200: { description: 'Recorded', schema: ConversionResult } },
  },
});
