import Taro from '@tarojs/taro';
import type { CustomerProfile } from '../../../shared/contracts/profile';
import { ApiError, apiRequest } from './client';

export const getMyProfile = () => apiRequest<CustomerProfile>('GET', '/me');
export const bindPhone = (code: string) => apiRequest<CustomerProfile>('POST', '/me/phone', { code });

/** H5 has no getPhoneNumber button; in development the fake WeChat server hands out a code for a demo number. */
export async function fakePhoneCode(): Promise<string> {
  const res = await Taro.request<{ code: string }>({ url: `${FAKE_WECHAT_BASE}/__fake/phone-code?phone=13800138000`, method: 'GET' });
  if (res.statusCode !== 200 || !res.data?.code) throw new ApiError('WECHAT_UNAVAILABLE', res.statusCode);
  return res.data.code;
}
