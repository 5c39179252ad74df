import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

/** What a customer has agreed to and asked for under PIPL. */
export const MyPrivacy = z
  .object({
    policyVersion: z.string().describe('The policy in force'),
    /** When the customer agreed to the policy in force; null: not yet (ask first). */
    consentedAt: z.string().nullable(),
    deletionRequest: z.object({ requestedAt: z.string(), status: z.literal('received') }).nullable(),
  })
  .meta({ id: 'MyPrivacy' });
export type MyPrivacy = z.infer<typeof MyPrivacy>;

const ConsentRequest = z.object({ policyVersion: z.string().min(1).max(20) });

export const privacyApi = endpoints({
  getMyPrivacy: {
    method: 'get',
    path: '/me/privacy',
    operationId: 'getMyPrivacy',
    summary:
      '我的隐私授权：是否已同意现行隐私政策，是否已申请删除个人信息。未同意前，除浏览公开内容外的客户接口均返回 403 PRIVACY_CONSENT_REQUIRED（申请删除后为 PRIVACY_DELETION_REQUESTED）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'Consent and requests', schema: MyPrivacy } },
  },
  consentToPrivacyPolicy: {
    method: 'post',
    path: '/me/privacy/consent',
    operationId: 'consentToPrivacyPolicy',
    summary: '同意现行隐私政策与个人信息处理规则（政策更新后需重新同意；已申请删除个人信息的不再接受）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    body: ConsentRequest,
    responses: { 200: { description: 'Recorded', schema: MyPrivacy } },
  },
  requestMyDataDeletion: {
    method: 'post',
    path: '/me/privacy/deletion-request',
    operationId: 'requestMyDataDeletion',
    summary: '申请删除我的个人信息（银行在法定期限内处理并通知）；同时撤回同意，此后不再记录、追踪或写入账户',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'Recorded once', schema: MyPrivacy } },
  },
});
