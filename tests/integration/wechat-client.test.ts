import { startBff, type TestBff } from '../helpers/bff';
import { createWechatClient } from '../../bff/src/platform/wechat/client';
import { TEST_WECHAT } from '../helpers/constants';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('wechatclient');
});
afterAll(() => bff.stop());

const client = () => createWechatClient({ apiBase: process.env.TEST_WECHAT_URL!, ...TEST_WECHAT, db: bff.db, clock: bff.clock });

describe('WeChat client against the fake WeChat server', () => {
  test('the access token is fetched once and shared through the database by every client', async () => {
    const a = await client().getAccessToken();
    const b = await client().getAccessToken(); // a second "process": a new client, same database
    expect(b).toBe(a);
    expect(await bff.db.collection('wechat_access_tokens').countDocuments()).toBe(1);
  });

  test('a cached token close to its two-hour expiry is replaced', async () => {
    await client().getAccessToken();
    bff.clock.advance(7200 * 1000 - 60 * 1000);
    await bff.db.collection('wechat_access_tokens').updateOne({}, { $set: { expiresAt: new Date(bff.clock.now().getTime() + 60_000) } });
    await client().getAccessToken();
    const stored = await bff.db.collection('wechat_access_tokens').findOne({});
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(bff.clock.now().getTime() + 60 * 60 * 1000);
  });

  test('wxacode.getUnlimited returns a PNG for a scene of up to 32 characters', async () => {
    const png = await client().getUnlimitedQrCode({ scene: 'rm=staff-rm-sh&c=2026', page: 'pages/index/index' });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(100);
  });

  test('a scene over 32 characters is refused before it reaches WeChat', async () => {
    await expect(client().getUnlimitedQrCode({ scene: 'x'.repeat(33) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  test('the fake WeChat server itself answers a scene over 32 characters with errcode 40169', async () => {
    const token = await client().getAccessToken();
    const res = await fetch(`${process.env.TEST_WECHAT_URL}/wxa/getwxacodeunlimit?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ scene: 'y'.repeat(33) }),
    });
    expect(await res.json()).toMatchObject({ errcode: 40169 });
  });

  test('a subscribe message reaches WeChat, which records it', async () => {
    const touser = `o_sub_${Date.now()}`;
    await client().sendSubscribeMessage({ touser, templateId: 'tmpl-points-expiring', page: 'pages/me/index', data: { thing1: { value: '积分即将过期' } } });
    const sent = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${touser}`)).json();
    expect(sent.items).toEqual([expect.objectContaining({ touser, template_id: 'tmpl-points-expiring', data: { thing1: { value: '积分即将过期' } } })]);
  });

  test('when WeChat rejects the cached token, the client refreshes it once and retries', async () => {
    const c = client();
    await c.getAccessToken();
    await bff.db.collection('wechat_access_tokens').updateOne({}, { $set: { token: 'revoked-token' } });
    await expect(c.getUnlimitedQrCode({ scene: 'retry=1' })).resolves.toBeInstanceOf(Buffer);
  });

  test('an unreachable WeChat is a 502 WECHAT_UNAVAILABLE, not a crash', async () => {
    const offline = createWechatClient({ apiBase: 'http://127.0.0.1:9', ...TEST_WECHAT, db: bff.db, clock: bff.clock, timeoutMs: 1000 });
    await expect(offline.code2Session('abc')).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE', status: 502 });
  });
});
