import { z } from 'zod';
import { trimmedText } from './common';
import { Role, STAFF_ROLES } from '../roles';

export const WechatLoginRequest = z.object({
  code: z.string().min(1).max(128).describe('The code from wx.login / Taro.login'),
});
export type WechatLoginRequest = z.infer<typeof WechatLoginRequest>;

export const StaffLoginRequest = z.object({
  username: trimmedText(1).max(64),
  password: z.string().min(1).max(256),
});
export type StaffLoginRequest = z.infer<typeof StaffLoginRequest>;

export const RefreshRequest = z.object({
  refreshToken: z.string().min(20).max(200),
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

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

export const LogoutRequest = RefreshRequest;
