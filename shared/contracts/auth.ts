import { z } from 'zod';
import { trimmedText } from './common';
import { Role, STAFF_ROLES } from '../roles';
import { endpoints } from '../api/endpoint';

const WechatLoginRequest = z.object({
  code: z.string().min(1).max(128).describe('The code from wx.login / Taro.login'),
});
type WechatLoginRequest = z.infer<typeof WechatLoginRequest>;

const StaffLoginRequest = z.object({
  username: trimmedText(1).max(64),
  password: z.string().min(1).max(256),
});
type StaffLoginRequest = z.infer<typeof StaffLoginRequest>;

const RefreshRequest = z.object({
  refreshToken: z.string().min(20).max(200),
});
type RefreshRequest = z.infer<typeof RefreshRequest>;

export const Session = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: z.string().describe('ISO 8601'),
    refreshToken: z.string(),
    refreshTokenExpiresAt: z.string().describe('ISO 8601'),
    role: z.enum([Role.CUSTOMER, ...STAFF_ROLES]),
    subject: z.string(),
    isNewCustomer: z.boolean().optional(),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

const LogoutRequest = RefreshRequest;

export const authApi = endpoints({
  loginWithWechat: {
    method: 'post',
    path: '/auth/wechat',
    operationId: 'loginWithWechat',
    summary: '小程序静默登录：用 wx.login 的 code 换取会话',
    tags: ['auth'],
    access: 'public',
    body: WechatLoginRequest,
    responses: { 200: { description: 'A new session', schema: Session } },
  },
  loginStaff: {
    method: 'post',
    path: '/auth/staff',
    operationId: 'loginStaff',
    summary: '员工登录（客户经理、管理员、审核员）',
    tags: ['auth'],
    access: 'public',
    body: StaffLoginRequest,
    responses: { 200: { description: 'A new session', schema: Session } },
  },
  refreshSession: {
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refreshSession',
    summary: '轮换刷新令牌，换取新的访问令牌',
    tags: ['auth'],
    access: 'public',
    body: RefreshRequest,
    responses: { 200: { description: 'A rotated session', schema: Session } },
  },
  logout: {
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: '退出登录，吊销该会话的全部刷新令牌',
    tags: ['auth'],
    access: 'public',
    body: LogoutRequest,
    responses: { 204: { description: 'Logged out' } },
  },
});
