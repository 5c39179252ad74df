import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { livestreamInput, publishReviewed, serviceInput, type StaffTokens } from '../helpers/life';

/**
 * Issue 26, finding 25: every address a customer can open in web-view (a life service, a
 * livestream replay) passes the allowlist at upload, at edit and at read, with userinfo and
 * backslashes refused and the normalised address returned; a replay goes through review.
 */
const dbName = uniqueDbName('webview');
let bff: TestBff;
let tokens: StaffTokens;
beforeAll(async () => {
  bff = await startBff('webview', { dbName, env: { WEBVIEW_DOMAINS: 'yxbank.cn,partner-pay.com' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const MINUTE = 60_000;
const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const createService = (url: string) => bff.request('POST', '/api/v1/admin/life/services', { token: tokens.admin, body: serviceInput({ target: { kind: 'web', url } }) });
const DISGUISED = [
  'https://evil.example@yxbank.cn/pay', // userinfo: some parsers take the host before the @
  'https://yxbank.cn@evil.example/pay',
  'https://user:pass@m.yxbank.cn/pay',
  'https://m.yxbank.cn\\@evil.example/pay', // a backslash: WHATWG and other parsers disagree on it
  'https://evil.example\\.yxbank.cn/',
  'https://m.yxbank.cn.evil.example/pay',
  'http://m.yxbank.cn/pay',
];

describe('life services', () => {
  test.each(DISGUISED)('%s is refused at upload', async (url) => {
    const res = await createService(url);
    expect([400, 422]).toContain(res.status);
  });

  test('a disguised address is refused at edit too; the address is stored and handed out normalised', async () => {
    const created = await createService('https://M.YXBANK.CN:443/Pay?x=1');
    expect(created.status).toBe(201);
    const edit = await bff.request('PUT', `/api/v1/admin/life/services/${created.body.id}`, {
      token: tokens.admin,
      body: serviceInput({ code: created.body.code, target: { kind: 'web', url: 'https://evil.example@yxbank.cn/pay' } }),
    });
    expect([400, 422]).toContain(edit.status);
    await bff.call('submitLifeService', { params: { id: created.body.id } }, { token: tokens.admin });
    expect((await bff.call('approveLifeService', { params: { id: created.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);

    const c = await customerSession(bff);
    const home = (await bff.call('getLifeHome', {}, { token: c.token })).body;
    const tile = (home.categories as { services: { id: string; target: { url?: string } }[] }[]).flatMap((x) => x.services).find((s) => s.id === created.body.id)!;
    expect(tile.target.url).toBe('https://m.yxbank.cn/Pay?x=1');
    // The web-view page asks the BFF for the address of a service by its id.
    const opened = await bff.call('viewLifeService', { params: { id: created.body.id } }, { token: c.token });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id: created.body.id, target: { kind: 'web', url: 'https://m.yxbank.cn/Pay?x=1' } });
  });
});

describe('livestream replays', () => {
  test('a replay address cannot be set past review: the marks take no address', async () => {
    const id = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(iso(-2 * 60 * MINUTE), iso(-60 * MINUTE)));
    const res = await bff.request('POST', `/api/v1/admin/livestreams/${id}/marks`, { token: tokens.admin, body: { replayUrl: 'https://evil.example/replay' } });
    expect(res.status).toBe(400);
    const c = await customerSession(bff);
    expect((await bff.call('viewLivestream', { params: { id } }, { token: c.token })).body).toMatchObject({ state: 'ended', replayUrl: null });
  });

  test('a replay is an edit under review, on the allowlist at upload and at read, handed out normalised', async () => {
    const input = livestreamInput(iso(-2 * 60 * MINUTE), iso(-60 * MINUTE));
    const id = await publishReviewed(bff, tokens, 'livestreams', input);
    for (const url of DISGUISED) {
      const refused = await bff.request('PUT', `/api/v1/admin/livestreams/${id}`, { token: tokens.admin, body: { ...input, replayUrl: url } });
      expect({ url, refused: [400, 422].includes(refused.status) }).toEqual({ url, refused: true });
    }
    const edited = await bff.request('PUT', `/api/v1/admin/livestreams/${id}`, { token: tokens.admin, body: { ...input, replayUrl: 'https://VIDEO.yxbank.cn/replay/1' } });
    expect(edited.status).toBe(200);
    const c = await customerSession(bff);
    // Not live until a second person approves the edit.
    expect((await bff.call('viewLivestream', { params: { id } }, { token: c.token })).body).toMatchObject({ replayUrl: null });
    await bff.call('submitLivestream', { params: { id } }, { token: tokens.admin });
    expect((await bff.call('approveLivestream', { params: { id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect((await bff.call('viewLivestream', { params: { id } }, { token: c.token })).body).toMatchObject({ state: 'replay', replayUrl: 'https://video.yxbank.cn/replay/1' });

    // The bank takes the domain off its list: the replay is no longer handed out.
    const narrowed = await startBff('webviewnarrow', { dbName, clock: bff.clock, env: { WEBVIEW_DOMAINS: 'partner-pay.com' } });
    try {
      expect((await narrowed.call('viewLivestream', { params: { id } }, { token: c.token })).body).toMatchObject({ state: 'ended', replayUrl: null });
    } finally {
      await narrowed.stop();
    }
  });
});
