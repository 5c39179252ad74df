import Taro from '@tarojs/taro';
import { ApiError } from '../api/client';

/** Shows an API failure the way a customer should read it, with the request's number for customer service. */
export function toastError(err: unknown): void {
  const ref = err instanceof ApiError && err.requestId ? `（编号 ${err.requestId.slice(0, 8)}）` : '';
  Taro.showToast({ title: err instanceof ApiError ? `${err.message}${ref}` : '操作失败，请稍后再试', icon: 'none', duration: 2500 });
}
