import Taro from '@tarojs/taro';

/** Each page's last good data, kept on the phone so a return visit (or an offline one) shows it at once. */
const PREFIX = 'bank.cache.';

export const readCached = <T>(key: string): T | null => (Taro.getStorageSync(PREFIX + key) as T) || null;
export const writeCached = (key: string, value: unknown): void => Taro.setStorageSync(PREFIX + key, value);

/** Forgets all of it (on log-out: the next customer of this phone sees none of it). */
export function clearApiCache(): void {
  for (const key of Taro.getStorageInfoSync().keys) if (key.startsWith(PREFIX)) Taro.removeStorageSync(key);
}
