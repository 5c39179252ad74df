import Taro from '@tarojs/taro';
import { ApiError } from '../api/client';

/** Shows an API failure the way a customer should read it. */
export function toastError(err: unknown): void {
  Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败，请稍后再试', icon: 'none', duration: 2500 });
}
