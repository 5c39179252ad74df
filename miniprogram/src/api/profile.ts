import Taro from '@tarojs/taro';
import { ApiError, call } from './client';

export const getMyProfile = () => call('getMyProfile');
export const bindPhone = (code: string) => call('bindMyPhone', { body: { code } });

/** H5 has no getPhoneNumber button; in development the fake WeChat server hands out a code for a demo number. */
export async function fakePhoneCode(): Promise<string> {
  const res = await Taro.request<{ code: string }>({ url: `${FAKE_WECHAT_BASE}/__fake/phone-code?phone=13800138000`, method: 'GET' });
  if (res.statusCode !== 200 || !res.data?.code) throw new ApiError('WECHAT_UNAVAILABLE', res.statusCode);
  return res.data.code;
}
