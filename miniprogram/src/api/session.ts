import Taro from '@tarojs/taro';
import type { Session } from '@shared/contracts/auth';
import { ApiError, callWith } from './http';
import { clearApiCache, customerChanged, followCustomer } from '../utils/api-cache';
import { forgetConsent } from '../privacy/consent';

const STORAGE_KEY = 'bank.session';
/** H5 only: which demo WeChat user the fake login signs in as (switch with `?openid=` in the URL). */
const FAKE_OPENID_KEY = 'bank.fakeOpenid';
const DEFAULT_FAKE_OPENID = 'o_demo_customer_01';

type Stored = Pick<Session, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken' | 'subject'>;

function load(): Stored | null {
  try {
    return (Taro.getStorageSync(STORAGE_KEY) as Stored) || null;
  } catch {
    return null;
  }
}

// Cached data is shown only to the customer it was loaded for: the one this phone's session names.
followCustomer(() => load()?.subject ?? null);
/** The customer signed in last in this launch (their session may since have been dropped to sign in again). */
let lastCustomer = load()?.subject ?? null;

function save(session: Session): Stored {
  const stored: Stored = { accessToken: session.accessToken, accessTokenExpiresAt: session.accessTokenExpiresAt, refreshToken: session.refreshToken, subject: session.subject };
  Taro.setStorageSync(STORAGE_KEY, stored);
  // Before anyone is answered with this session: what pages show of another customer goes first.
  if (lastCustomer !== null && lastCustomer !== session.subject) customerChanged();
  lastCustomer = session.subject;
  return stored;
}

function clearSession(): void {
  Taro.removeStorageSync(STORAGE_KEY);
}

/** 退出登录: the BFF revokes the session's refresh tokens; the phone forgets them either way. */
export async function logout(): Promise<void> {
  const stored = load();
  clearSession();
  clearApiCache();
  forgetConsent();
  if (stored?.refreshToken) await callWith()('logout', { body: { refreshToken: stored.refreshToken } }).catch(() => undefined);
}

/** The H5 build has no wx.login; in development it asks the fake WeChat server for a code instead. */
async function fakeWechatCode(): Promise<string> {
  const fromUrl = typeof window !== 'undefined' ? new URLSearchParams(window.location.search).get('openid') : null;
  if (fromUrl) Taro.setStorageSync(FAKE_OPENID_KEY, fromUrl);
  const openid = (Taro.getStorageSync(FAKE_OPENID_KEY) as string) || DEFAULT_FAKE_OPENID;
  const res = await Taro.request<{ code: string }>({ url: `${FAKE_WECHAT_BASE}/__fake/login?openid=${encodeURIComponent(openid)}`, method: 'GET' });
  if (res.statusCode !== 200 || !res.data?.code) throw new ApiError('WECHAT_UNAVAILABLE', res.statusCode);
  return res.data.code;
}

async function wechatCode(): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    if (!FAKE_WECHAT_LOGIN) throw new ApiError('AUTH_REQUIRED', 401);
    return fakeWechatCode();
  }
  const { code } = await Taro.login();
  return code;
}

async function loginWithWechat(): Promise<Stored> {
  const session = await callWith()('loginWithWechat', { body: { code: await wechatCode() } });
  return save(session);
}

async function refresh(refreshToken: string): Promise<Stored> {
  return save(await callWith()('refreshSession', { body: { refreshToken } }));
}

// One login or refresh at a time, however many requests ask for it at once.
let inFlight: Promise<Stored> | null = null;
function single(task: () => Promise<Stored>): Promise<Stored> {
  inFlight ??= task().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

// An access token this close to its end is renewed before use: one round trip instead of a refusal and a retry.
const RENEW_BEFORE_MS = 30_000;

/** A usable session: the stored one, renewed first if it is about to end, or a silent WeChat login. */
export async function ensureSession(): Promise<Stored> {
  const stored = load();
  if (!stored) return single(loginWithWechat);
  if (new Date(stored.accessTokenExpiresAt).getTime() - Date.now() < RENEW_BEFORE_MS) return renewSession();
  return stored;
}

/**
 * The stored access token while it is still good for a while, without renewing it: for
 * background work (the tracker) that must never start a renewal of its own, which a page
 * unloading mid-way could leave racing the next page's.
 */
export function currentAccessToken(): string | null {
  const stored = load();
  return stored && new Date(stored.accessTokenExpiresAt).getTime() - Date.now() >= RENEW_BEFORE_MS ? stored.accessToken : null;
}

/** Called once after a 401: rotate the refresh token, or log in again if that fails too. */
export function renewSession(): Promise<Stored> {
  const stored = load();
  return single(async () => {
    if (stored?.refreshToken) {
      try {
        return await refresh(stored.refreshToken);
      } catch {
        // fall through to a fresh login
      }
    }
    clearSession();
    return loginWithWechat();
  });
}
