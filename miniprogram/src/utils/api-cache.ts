import Taro from '@tarojs/taro';

/**
 * Each page's last good data, kept on the phone so a return visit (or an offline one) shows it at
 * once. Each entry names the customer it was loaded for and is shown to that customer only.
 */
const PREFIX = 'bank.cache.';

type Entry = { owner: string; value: unknown };

let signedIn: () => string | null = () => null;
/** Who is signed in on this phone now (the session tells, api/session.ts); until it does, nothing cached is shown. */
export function followCustomer(customer: () => string | null): void {
  signedIn = customer;
}

/** The last good data under `key`, if it was loaded for the customer signed in now; another customer's is deleted. */
export function readCached<T>(key: string): T | null {
  const owner = signedIn();
  const entry = Taro.getStorageSync(PREFIX + key) as Entry | '';
  if (!owner || !entry) return null;
  if (entry.owner === owner) return entry.value as T;
  Taro.removeStorageSync(PREFIX + key);
  return null;
}

/** Keeps the last good data under `key` as the signed-in customer's. */
export function writeCached(key: string, value: unknown): void {
  const owner = signedIn();
  if (owner) Taro.setStorageSync(PREFIX + key, { owner, value } satisfies Entry);
}

/** Forgets all of it (the next customer of this phone finds none of it). */
export function clearApiCache(): void {
  for (const key of Taro.getStorageInfoSync().keys) if (key.startsWith(PREFIX)) Taro.removeStorageSync(key);
}

const listeners = new Set<() => void>();

/** Calls `listener` when another customer signs in on this phone: a page lets go of what it shows of the one before. */
export function onCustomerChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Another customer than the one before signed in: their cached data goes, and the pages are told. */
export function customerChanged(): void {
  clearApiCache();
  for (const l of [...listeners]) l();
}

const changeListeners = new Set<() => void>();

/** Calls `listener` after the customer changed something on the server (a check-in, a redemption, a reservation…). */
export function onServerChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => void changeListeners.delete(listener);
}

/** The customer changed something on the server: every page's data is out of date, wherever it is shown. */
export function serverChanged(): void {
  for (const l of [...changeListeners]) l();
}
