import { AcceptInvite, AcceptInviteResult, MyInvite } from '../../../shared/contracts/invites';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { InviteService } from './service';

export function inviteRoutes(service: InviteService) {
  return [
    defineRoute({
      method: 'get',
      path: '/me/invite',
      operationId: 'getMyInvite',
      summary: '我的邀请码、分享路径与已邀请人数',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'My invite', schema: MyInvite } },
      handler: ({ principal }) => service.mine(principal!.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/inviter',
      operationId: 'acceptInvite',
      summary: '新客户登记邀请人（注册后 24 小时内、仅一次）',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      body: AcceptInvite,
      responses: { 200: { description: 'Whether it counted', schema: AcceptInviteResult } },
      handler: ({ principal, body }) => service.accept(principal!.id, body.code),
    }),
  ];
}
