import { randomBytes } from 'node:crypto';

/** Asks the fake WeChat server for a login code, as wx.login would get one. */
export async function wechatCode(options: { openid?: string; unionid?: string; ttlSeconds?: number } = {}): Promise<{ code: string; openid: string }> {
  const res = await fetch(`${process.env.TEST_WECHAT_URL}/__fake/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ openid: options.openid ?? `o_test_${randomBytes(8).toString('hex')}`, ...options }),
  });
  return (await res.json()) as { code: string; openid: string };
}
