// Life-scenario services (场景金融): categories and the mini-programs this build may open.
// Free of zod: the mini-program imports these values.

export const SERVICE_CATEGORIES = ['payments', 'social_security', 'medical', 'transport', 'cobrand', 'bank'] as const;
type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const serviceCategoryNamesZh: Record<ServiceCategory, string> = {
  payments: '缴费充值',
  social_security: '社保公积金',
  medical: '医保电子凭证',
  transport: '交通出行',
  cobrand: '联名优惠',
  bank: '本行服务',
};

/**
 * Mini-programs a service may open with `navigateToMiniProgram`. The build declares the same
 * list (app.config.ts), and the BFF refuses a service naming any other: one list for both.
 */
export const PARTNER_MINIPROGRAMS: Record<string, string> = {
  wx8f1a2b3c4d5e6f70: '生活缴费',
  wx91b2c3d4e5f60718: '电子社保卡',
  wxa2c3d4e5f6071829: '医保电子凭证',
  wxb3d4e5f607182930: '乘车码',
};

export const LIVESTREAM_STATES = ['upcoming', 'live', 'ended', 'replay'] as const;
export type LivestreamState = (typeof LIVESTREAM_STATES)[number];
export const livestreamStateNamesZh: Record<LivestreamState, string> = { upcoming: '预告', live: '直播中', ended: '已结束', replay: '回放' };

/**
 * Whether an address may open in web-view, and as what. Refused: anything but https, a
 * backslash, whitespace or a control character anywhere (parsers disagree on them), userinfo
 * (`https://evil.example@yxbank.cn/` reads as yxbank.cn to some and evil.example to others), a
 * port other than 443, a host that is not on the allowlist (the domain itself or one below it).
 * What may open is handed out normalised (`new URL(...).href`: lower-case host, default port
 * dropped), never as it was typed. Without `allowlist`, only the address's form is checked.
 */
export function checkWebviewUrl(raw: string, allowlist?: readonly string[]): { ok: true; url: string } | { ok: false; reason: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: '网址不能含反斜杠、空白或控制字符' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: '网址格式不正确' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: '只能打开 https 网址' };
  const authority = raw.slice(raw.indexOf('//') + 2).split(/[/?#]/)[0];
  if (url.username || url.password || authority.includes('@')) return { ok: false, reason: '网址不能含用户名或密码（@）' };
  if (url.port !== '') return { ok: false, reason: '网址不能指定端口' };
  const host = url.hostname;
  if (!host || host.endsWith('.') || !/^[a-z0-9.-]+$/.test(host)) return { ok: false, reason: '网址的域名不正确' };
  if (url.href.length > 500) return { ok: false, reason: '网址过长' };
  if (allowlist && !allowlist.some((d) => host === d || host.endsWith(`.${d}`))) return { ok: false, reason: `域名 ${host} 不在本行的网页白名单（业务域名）中` };
  return { ok: true, url: url.href };
}
