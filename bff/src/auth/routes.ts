import { LogoutRequest, RefreshRequest, Session, StaffLoginRequest, WechatLoginRequest } from '../../../shared/contracts/auth';
import { defineRoute } from '../platform/http/routes';
import type { AuthService } from './service';

export function authRoutes(service: AuthService) {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/wechat',
      operationId: 'loginWithWechat',
      summary: '小程序静默登录：用 wx.login 的 code 换取会话',
      tags: ['auth'],
      access: 'public',
      body: WechatLoginRequest,
      responses: { 200: { description: 'A new session', schema: Session } },
      handler: ({ body, ctx }) => service.loginWithWechat(body.code, ctx.ip),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/staff',
      operationId: 'loginStaff',
      summary: '员工登录（客户经理、管理员、审核员）',
      tags: ['auth'],
      access: 'public',
      body: StaffLoginRequest,
      responses: { 200: { description: 'A new session', schema: Session } },
      handler: ({ body, ctx }) => service.loginStaff(body.username, body.password, ctx.ip),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refreshSession',
      summary: '轮换刷新令牌，换取新的访问令牌',
      tags: ['auth'],
      access: 'public',
      body: RefreshRequest,
      responses: { 200: { description: 'A rotated session', schema: Session } },
      handler: ({ body, ctx }) => service.refresh(body.refreshToken, ctx.ip),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: '退出登录，吊销该会话的全部刷新令牌',
      tags: ['auth'],
      access: 'public',
      body: LogoutRequest,
      responses: { 204: { description: 'Logged out' } },
      handler: async ({ body }) => {
        await service.logout(body.refreshToken);
      },
    }),
  ];
}
