import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { CustomerProfile } from './profile';
import { Preferences } from './points';

export const customersApi = endpoints({
  getMyProfile: {
    method: 'get',
    path: '/me',
    operationId: 'getMyProfile',
    summary: '我的资料（脱敏）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'The caller’s masked profile', schema: CustomerProfile } },
  },
  bindMyPhone: {
    method: 'post',
    path: '/me/phone',
    operationId: 'bindMyPhone',
    summary: '绑定微信验证的手机号（getPhoneNumber 按钮返回的 code）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    body: z.object({ code: z.string().min(1).max(128) }),
    responses: { 200: { description: 'The profile, phone masked', schema: CustomerProfile } },
  },
  setMyPreferences: {
    method: 'put',
    path: '/me/preferences',
    operationId: 'setMyPreferences',
    summary: '个性化推荐开关（关闭后只展示非定向活动）',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    body: Preferences,
    responses: { 200: { description: 'Saved', schema: Preferences } },
  },
});
