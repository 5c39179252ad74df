import type { Clock } from '../clock';
import type { Database } from '../db';
import { AppError } from '../errors';
import { replaceById } from '../upsert';

type WechatSession = { openid: string; unionid?: string; sessionKey: string };

type WechatError = { errcode?: number; errmsg?: string };

/**
 * The one client for WeChat's server APIs. Its base URL is configurable so development
 * and tests talk to the project's fake WeChat server over real HTTP.
 */
export type WechatClient = {
  code2Session(code: string): Promise<WechatSession>;
  getAccessToken(): Promise<string>;
  getUnlimitedQrCode(input: { scene: string; page?: string; width?: number; checkPath?: boolean }): Promise<Buffer>;
  sendSubscribeMessage(input: { touser: string; templateId: string; page?: string; data: Record<string, { value: string }> }): Promise<void>;
  /** Exchanges the code from a getPhoneNumber button for the customer's verified phone number. */
  getPhoneNumber(code: string): Promise<{ phoneNumber: string; countryCode: string }>;
};

// The access token is shared by every BFF process, so it is cached in the database, not in memory.
const TOKEN_COLLECTION = 'wechat_access_tokens';
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

export function createWechatClient(options: { apiBase: string; appid: string; secret: string; db: Database; clock: Clock; timeoutMs?: number }): WechatClient {
  const base = options.apiBase.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
  }

  async function json<T>(res: Response): Promise<T & WechatError> {
    try {
      return (await res.json()) as T & WechatError;
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', { cause });
    }
  }

  function fail(body: WechatError): never {
    if (body.errcode === 45011) throw new AppError('RATE_LIMITED');
    throw new AppError('WECHAT_UNAVAILABLE', { message: `WeChat error ${body.errcode}`, expose: false });
  }

  const tokens = () => options.db.collection<{ _id: string; token: string; expiresAt: Date }>(TOKEN_COLLECTION);

  async function fetchStableToken(forceRefresh: boolean): Promise<string> {
    const res = await call('/cgi-bin/stable_token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: options.appid, secret: options.secret, force_refresh: forceRefresh }),
    });
    const body = await json<{ access_token?: string; expires_in?: number }>(res);
    if (!body.access_token || !body.expires_in) fail(body);
    const expiresAt = new Date(options.clock.now().getTime() + body.expires_in * 1000);
    await replaceById(tokens(), options.appid, { token: body.access_token, expiresAt });
    return body.access_token;
  }

  async function getAccessToken(): Promise<string> {
    const cached = await tokens().findOne({ _id: options.appid });
    if (cached && cached.expiresAt.getTime() - options.clock.now().getTime() > REFRESH_MARGIN_MS) return cached.token;
    // stable_token hands every caller the same token until it expires, so concurrent refreshes are harmless.
    return fetchStableToken(false);
  }

  /** Calls an access-token API, refreshing the token once if WeChat says it is no longer valid. */
  async function withToken(path: string, init: RequestInit): Promise<Response> {
    let token = await getAccessToken();
    for (let attempt = 0; ; attempt++) {
      const res = await call(`${path}?access_token=${encodeURIComponent(token)}`, init);
      if (res.headers.get('content-type')?.includes('application/json')) {
        const clone = res.clone();
        const body = await json<object>(clone);
        if (attempt === 0 && body.errcode && TOKEN_ERRORS.has(body.errcode)) {
          token = await fetchStableToken(true);
          continue;
        }
      }
      return res;
    }
  }

  return {
    async code2Session(code) {
      const query = new URLSearchParams({ appid: options.appid, secret: options.secret, js_code: code, grant_type: 'authorization_code' });
      const body = await json<{ openid?: string; unionid?: string; session_key?: string }>(await call(`/sns/jscode2session?${query}`));
      if (body.errcode === 40029) throw new AppError('WECHAT_CODE_INVALID');
      if (body.errcode === 40163) throw new AppError('WECHAT_CODE_USED');
      if (!body.openid || !body.session_key) fail(body);
      return { openid: body.openid, unionid: body.unionid, sessionKey: body.session_key };
    },

    getAccessToken,

    async getUnlimitedQrCode(input) {
      if (input.scene.length > 32) {
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'scene', message: 'WeChat allows at most 32 characters' }] });
      }
      const res = await withToken('/wxa/getwxacodeunlimit', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scene: input.scene, page: input.page, width: input.width ?? 430, check_path: input.checkPath ?? false }),
      });
      if (res.headers.get('content-type')?.includes('image/')) return Buffer.from(await res.arrayBuffer());
      fail(await json<object>(res));
    },

    async sendSubscribeMessage(input) {
      const res = await withToken('/cgi-bin/message/subscribe/send', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ touser: input.touser, template_id: input.templateId, page: input.page, data: input.data }),
      });
      const body = await json<object>(res);
      if (body.errcode) fail(body);
    },

    async getPhoneNumber(code) {
      const res = await withToken('/wxa/business/getuserphonenumber', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      const body = await json<{ phone_info?: { purePhoneNumber?: string; countryCode?: string } }>(res);
      if (body.errcode === 40029) throw new AppError('WECHAT_CODE_INVALID');
      const info = body.phone_info;
      if (body.errcode || !info?.purePhoneNumber) fail(body);
      return { phoneNumber: info.purePhoneNumber, countryCode: info.countryCode ?? '86' };
    },
  };
}
