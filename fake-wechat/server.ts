import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonServer, readJson, sendJson } from './json-http';
import { patternPng } from './png';

/**
 * A stand-in for WeChat's server APIs, speaking their paths, parameters and error codes,
 * for development and tests. State lives in memory: it is one process, started once.
 */
type FakeWechatOptions = {
  appid: string;
  secret: string;
  now?: () => number;
  codeTtlSeconds?: number;
};

type CodeGrant = { openid: string; unionid?: string; expiresAt: number; used: boolean };
type SentMessage = { touser: string; template_id: string; page?: string; data: unknown; at: number };

const TOKEN_TTL_SECONDS = 7200;

export function createFakeWechat(options: FakeWechatOptions) {
  const now = options.now ?? Date.now;
  const codeTtlMs = (options.codeTtlSeconds ?? 300) * 1000;
  const codes = new Map<string, CodeGrant>();
  const tokens = new Map<string, number>(); // token -> expiresAt
  let stableToken: { token: string; expiresAt: number } | null = null;
  const sent: SentMessage[] = [];
  // Every mini-program code generated, so tests can see what WeChat was asked for.
  const wxacodes: { scene: string; page: string | null; width: number; at: number }[] = [];
  const phoneCodes = new Map<string, { phone: string; expiresAt: number; used: boolean }>();

  function issueCode(openid: string, unionid?: string, ttlMs = codeTtlMs): string {
    const code = randomBytes(16).toString('hex');
    codes.set(code, { openid, unionid, expiresAt: now() + ttlMs, used: false });
    return code;
  }

  function newToken(): { token: string; expiresAt: number } {
    const token = `fake_${randomBytes(24).toString('hex')}`;
    const expiresAt = now() + TOKEN_TTL_SECONDS * 1000;
    tokens.set(token, expiresAt);
    return { token, expiresAt };
  }

  const validToken = (token: string | null) => token !== null && (tokens.get(token) ?? 0) > now();
  const credentialsOk = (appid: unknown, secret: unknown) => appid === options.appid && secret === options.secret;
  const credentialError = (appid: unknown) => (appid !== options.appid ? { errcode: 40013, errmsg: 'invalid appid' } : { errcode: 40125, errmsg: 'invalid appsecret' });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const q = url.searchParams;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /sns/jscode2session': {
        if (!credentialsOk(q.get('appid'), q.get('secret'))) return sendJson(res, 200, credentialError(q.get('appid')));
        const grant = codes.get(q.get('js_code') ?? '');
        if (!grant || grant.expiresAt <= now()) return sendJson(res, 200, { errcode: 40029, errmsg: 'invalid code' });
        if (grant.used) return sendJson(res, 200, { errcode: 40163, errmsg: 'code been used' });
        grant.used = true;
        return sendJson(res, 200, {
          openid: grant.openid,
          session_key: randomBytes(16).toString('base64'),
          ...(grant.unionid ? { unionid: grant.unionid } : {}),
        });
      }
      case 'GET /cgi-bin/token': {
        if (q.get('grant_type') !== 'client_credential') return sendJson(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
        if (!credentialsOk(q.get('appid'), q.get('secret'))) return sendJson(res, 200, credentialError(q.get('appid')));
        return sendJson(res, 200, { access_token: newToken().token, expires_in: TOKEN_TTL_SECONDS });
      }
      case 'POST /cgi-bin/stable_token': {
        const body = await readJson(req);
        if (body.grant_type !== 'client_credential') return sendJson(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
        if (!credentialsOk(body.appid, body.secret)) return sendJson(res, 200, credentialError(body.appid));
        if (body.force_refresh === true || !stableToken || stableToken.expiresAt <= now()) stableToken = newToken();
        return sendJson(res, 200, { access_token: stableToken.token, expires_in: Math.floor((stableToken.expiresAt - now()) / 1000) });
      }
      case 'POST /wxa/getwxacodeunlimit': {
        if (!validToken(q.get('access_token'))) return sendJson(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        const body = await readJson(req);
        const scene = typeof body.scene === 'string' ? body.scene : '';
        if (scene.length === 0 || scene.length > 32) return sendJson(res, 200, { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' });
        const width = typeof body.width === 'number' ? Math.min(Math.max(body.width, 280), 1280) : 430;
        wxacodes.push({ scene, page: typeof body.page === 'string' ? body.page : null, width, at: now() });
        res.writeHead(200, { 'Content-Type': 'image/png' });
        return res.end(patternPng(`${scene}|${body.page ?? ''}`, width));
      }
      case 'POST /cgi-bin/message/subscribe/send': {
        if (!validToken(q.get('access_token'))) return sendJson(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        const body = await readJson(req);
        if (typeof body.touser !== 'string' || typeof body.template_id !== 'string' || typeof body.data !== 'object') {
          return sendJson(res, 200, { errcode: 47003, errmsg: 'argument invalid!' });
        }
        sent.push({ touser: body.touser, template_id: body.template_id, page: body.page as string | undefined, data: body.data, at: now() });
        return sendJson(res, 200, { errcode: 0, errmsg: 'ok' });
      }
      case 'POST /wxa/business/getuserphonenumber': {
        if (!validToken(q.get('access_token'))) return sendJson(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        const body = await readJson(req);
        const grant = phoneCodes.get(typeof body.code === 'string' ? body.code : '');
        if (!grant || grant.used || grant.expiresAt <= now()) return sendJson(res, 200, { errcode: 40029, errmsg: 'invalid code' });
        grant.used = true;
        return sendJson(res, 200, {
          errcode: 0,
          errmsg: 'ok',
          phone_info: { phoneNumber: grant.phone, purePhoneNumber: grant.phone, countryCode: '86', watermark: { timestamp: Math.floor(now() / 1000), appid: options.appid } },
        });
      }
      // --- Test and development controls: not part of WeChat's API. ---
      case 'POST /__fake/phone-code':
      case 'GET /__fake/phone-code': {
        // What tapping a getPhoneNumber button and allowing it gives the mini-program.
        const body = req.method === 'POST' ? await readJson(req) : Object.fromEntries(q);
        const phone = typeof body.phone === 'string' && /^1\d{10}$/.test(body.phone) ? body.phone : '13800138000';
        const code = randomBytes(16).toString('hex');
        phoneCodes.set(code, { phone, expiresAt: now() + codeTtlMs, used: false });
        return sendJson(res, 200, { code });
      }
      case 'POST /__fake/login':
      case 'GET /__fake/login': {
        const body = req.method === 'POST' ? await readJson(req) : Object.fromEntries(q);
        const openid = typeof body.openid === 'string' && body.openid ? body.openid : `o_${randomBytes(10).toString('hex')}`;
        const unionid = typeof body.unionid === 'string' && body.unionid ? body.unionid : undefined;
        const ttlMs = body.ttlSeconds !== undefined ? Number(body.ttlSeconds) * 1000 : codeTtlMs;
        return sendJson(res, 200, { code: issueCode(openid, unionid, ttlMs), openid });
      }
      case 'GET /__fake/wxacodes':
        return sendJson(res, 200, { items: wxacodes.filter((c) => !q.get('scene') || c.scene === q.get('scene')) });
      case 'GET /__fake/messages':
        return sendJson(res, 200, { items: sent.filter((m) => !q.get('touser') || m.touser === q.get('touser')) });
      default:
        return sendJson(res, 404, { errcode: -1, errmsg: `no such api: ${route}` });
    }
  }

  const http = jsonServer(handle);
  return {
    issueCode,
    sentMessages: () => [...sent],
    expireAllTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
      stableToken = null;
    },
    ...http,
  };
}

export type FakeWechat = ReturnType<typeof createFakeWechat>;
