import { ConsentRequest, MyPrivacy } from '../../../shared/contracts/privacy';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { PrivacyService } from './service';

export function privacyRoutes(service: PrivacyService) {
  const tags = ['customer'];
  const access = [Role.CUSTOMER];
  return [
    defineRoute({
      method: 'get',
      path: '/me/privacy',
      operationId: 'getMyPrivacy',
      summary: '我的隐私授权：是否已同意现行隐私政策，是否已申请删除个人信息。未同意前，除浏览公开内容外的客户接口均返回 403 PRIVACY_CONSENT_REQUIRED（申请删除后为 PRIVACY_DELETION_REQUESTED）',
      tags,
      access,
      responses: { 200: { description: 'Consent and requests', schema: MyPrivacy } },
      handler: ({ principal }) => service.mine(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/privacy/consent',
      operationId: 'consentToPrivacyPolicy',
      summary: '同意现行隐私政策与个人信息处理规则（政策更新后需重新同意；已申请删除个人信息的不再接受）',
      tags,
      access,
      body: ConsentRequest,
      responses: { 200: { description: 'Recorded', schema: MyPrivacy } },
      handler: ({ principal, body }) => service.consent(principal!.id, body.policyVersion),
    }),
    defineRoute({
      method: 'post',
      path: '/me/privacy/deletion-request',
      operationId: 'requestMyDataDeletion',
      summary: '申请删除我的个人信息（银行在法定期限内处理并通知）；同时撤回同意，此后不再记录、追踪或写入账户',
      tags,
      access,
      responses: { 200: { description: 'Recorded once', schema: MyPrivacy } },
      handler: ({ principal }) => service.requestDeletion(principal!.id),
    }),
  ];
}
