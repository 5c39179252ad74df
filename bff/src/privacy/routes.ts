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
      summary: '我的隐私授权：是否已同意现行隐私政策，是否已申请删除个人信息',
      tags,
      access,
      responses: { 200: { description: 'Consent and requests', schema: MyPrivacy } },
      handler: ({ principal }) => service.mine(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/privacy/consent',
      operationId: 'consentToPrivacyPolicy',
      summary: '同意现行隐私政策与个人信息处理规则',
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
      summary: '申请删除我的个人信息（银行在法定期限内处理并通知）',
      tags,
      access,
      responses: { 200: { description: 'Recorded once', schema: MyPrivacy } },
      handler: ({ principal }) => service.requestDeletion(principal!.id),
    }),
  ];
}
