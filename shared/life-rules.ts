// Life-scenario services (场景金融): categories and the mini-programs this build may open.
// Free of zod: the mini-program imports these values.

export const SERVICE_CATEGORIES = ['payments', 'social_security', 'medical', 'transport', 'cobrand', 'bank'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
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
