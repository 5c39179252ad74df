import Taro from '@tarojs/taro';
import { call } from './client';

const PENDING_KEY = 'bank.pendingInviter';

export const getMyInvite = () => call('getMyInvite');

/** The invite code this launch came with: a shared card's `inviter` query (the URL's, in H5). */
function launchInviter(options: { query?: Record<string, string | undefined> }): string | null {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') return new URLSearchParams(window.location.search).get('inviter');
  return options.query?.inviter ?? null;
}

/**
 * Keeps the invite code this launch came with on the phone: it is sent only once the customer
 * has agreed to the privacy policy (`acceptPendingInvite`), so nobody loses a friend's invite
 * by reading the policy first, and nothing is sent before they agree.
 */
export function keepLaunchInvite(options: { query?: Record<string, string | undefined> }): void {
  const fromLaunch = launchInviter(options);
  if (fromLaunch && /^[A-Z0-9]{8}$/.test(fromLaunch)) Taro.setStorageSync(PENDING_KEY, fromLaunch);
}

/**
 * Registers who invited this customer (after consent). Kept in storage until the BFF has
 * answered, so a failed first try is repeated on the next launch; the BFF counts it once whatever happens.
 */
export async function acceptPendingInvite(): Promise<void> {
  const code = Taro.getStorageSync(PENDING_KEY) as string;
  if (!code) return;
  await call('acceptInvite', { body: { code } });
  Taro.removeStorageSync(PENDING_KEY);
}
