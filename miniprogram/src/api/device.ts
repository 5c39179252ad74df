import Taro from '@tarojs/taro';

const KEY = 'bank.deviceId';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** This install's own id, made once and kept: the BFF limits helps per device with it. It names no person. */
export function deviceId(): string {
  const kept = Taro.getStorageSync(KEY) as string;
  if (kept) return kept;
  const made = Array.from({ length: 24 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');
  Taro.setStorageSync(KEY, made);
  return made;
}
