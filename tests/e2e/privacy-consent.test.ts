import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { PHONE, SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemoBank, staffToken } from '../helpers/seed';
import { auditPage } from '../helpers/a11y';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2econsent');
  // The demo bank: live activities of each type (an assist among them), a mall, 生活.
  await seedDemoBank(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

/** Every call the page makes to the BFF, in order, as `METHOD /path` (under /api/v1), with when it left. */
function networkLog(page: Page) {
  const calls: { call: string; at: number }[] = [];
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/v1/')) calls.push({ call: `${r.method()} ${url.pathname.slice('/api/v1'.length)}`, at: Date.now() });
  });
  return {
    calls: () => calls.map((c) => c.call),
    /** Calls of personal data that must not leave before consent: events, a friend's invite, a share's arrival. */
    personal: (until = Infinity) => calls.filter((c) => c.at < until && /^POST \/(events|me\/inviter|me\/arrival)$/.test(c.call)).map((c) => c.call),
  };
}

const customerId = async (openid: string) => (await stack.bff.db.collection('wechat_identities').findOne({ _id: { $regex: openid } as never }))!.customerId as string;
const visible = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"]:visible`);

/** Nothing said about a failure: no error toast with a request number, no 加载失败. */
async function noErrorShown(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/编号|加载失败|请先阅读并同意隐私政策，再使用此功能/);
}

describe('one consent gate for the whole mini-program (PIPL arts. 13, 14, 24)', () => {
  test('a friend arriving by an assist link sees the gate; nothing personal is sent before they agree; then the arrival and the invite are credited and events go', async () => {
    // A, who agreed long ago, starts the demo assist and shares it; A's invite code rides along on the link.
    const aOpenid = `o_cons_a_${Date.now()}`;
    const a = await stack.open(aOpenid, '/pages/activities/index');
    await visible(a, 'activity-card').filter({ hasText: '好友助力领 100 积分' }).click();
    await visible(a, 'activity-assist').click();
    await visible(a, 'assist-progress').filter({ hasText: '已有 0/' }).waitFor();
    const link = (await visible(a, 'assist-link').getAttribute('data-link'))!;
    await a.goto(`${stack.url}/#/pages/me/index`);
    await a.reload();
    await visible(a, 'me-header').waitFor();
    await a
      .getByText(/邀请码 [A-Z0-9]{8}/)
      .first()
      .waitFor();
    const code = /邀请码 ([A-Z0-9]{8})/.exec(await a.locator('body').innerText())![1];

    // B, new, opens the link from a chat: the assist page, with the gate over it. (Registered after A:
    // attribution runs from earlier customers to later ones, and the test's clock stands still unless moved.)
    stack.bff.clock.advance(1);
    const bOpenid = `o_cons_b_${Date.now()}`;
    const b = await (await stack.phone(PHONE, { consented: false })).newPage();
    const log = networkLog(b);
    await b.goto(`${stack.url}/?openid=${bOpenid}&inviter=${code}#${link.split('#')[1]}`);
    const gate = visible(b, 'privacy-gate');
    await gate.filter({ hasText: '我们收集哪些信息' }).waitFor();
    await expect(visible(b, 'privacy-decline-means').innerText()).resolves.toContain('签到、积分、任务、兑换、抽奖、答题、助力、领券、预约');
    // The friend's assist is readable behind it (a browse read).
    await visible(b, 'assist-progress').waitFor();
    await b.screenshot({ path: path.join(SCREENSHOT_DIR, 'consent-gate-assist.png') });
    // Longer than the tracker's flush interval (5 s): had it been free to send, it would have.
    await b.waitForTimeout(6500);
    const agreedAt = Date.now();
    expect(log.personal()).toEqual([]);
    // Kept on the phone meanwhile: the share's scene and the invite code; the events in memory only.
    const stored = await b.evaluate(() => ({
      scene: localStorage.getItem('bank.pendingScene'),
      inviter: localStorage.getItem('bank.pendingInviter'),
      queue: localStorage.getItem('bank.trackQueue'),
    }));
    expect(stored.scene).toContain(link.split('scene=')[1]);
    expect(stored.inviter).toContain(code);
    expect(stored.queue).toBeNull();

    const arrival = b.waitForResponse((r) => r.url().endsWith('/api/v1/me/arrival') && r.request().method() === 'POST');
    const invite = b.waitForResponse((r) => r.url().endsWith('/api/v1/me/inviter') && r.request().method() === 'POST');
    const events = b.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.request().method() === 'POST', { timeout: 20_000 });
    await visible(b, 'privacy-agree').click();
    await gate.waitFor({ state: 'hidden' });
    expect((await arrival).status()).toBe(200);
    expect((await invite).status()).toBe(200);
    expect((await events).status()).toBe(200);
    // Consent first, then what waited for it.
    const order = log.calls();
    expect(order.indexOf('POST /me/privacy/consent')).toBeGreaterThanOrEqual(0);
    expect(log.personal(agreedAt)).toEqual([]);
    for (const call of ['POST /me/arrival', 'POST /me/inviter', 'POST /events']) expect(order.indexOf(call)).toBeGreaterThan(order.indexOf('POST /me/privacy/consent'));

    // The BFF credits A with bringing B: A's referral tree, as head office reads it.
    const [aId, bId] = [await customerId(aOpenid), await customerId(bOpenid)];
    const admin = await staffToken(stack.bff, 'admin');
    const tree = await stack.bff.call('getReferralTree', { params: { id: aId } }, { token: admin });
    expect(tree.status).toBe(200);
    expect(JSON.stringify(tree.body)).toContain(bId);
    // The page view held in memory before consent was sent after it (nothing was lost by reading first).
    const kept = () => stack.bff.db.collection('behaviour_events').countDocuments({ customerId: bId, type: 'page_view', page: 'packages/referral/assist/index' });
    for (let i = 0; i < 50 && (await kept()) < 1; i++) await b.waitForTimeout(200);
    expect(await kept()).toBeGreaterThanOrEqual(1);

    // And B can help now, as the link meant.
    await visible(b, 'assist-help').click();
    await visible(b, 'assist-helped').waitFor();
    await a.context().close();
    await b.context().close();
  }, 150_000);

  test('不同意: browse-only, said on every page; 签到 asks again instead of failing; pages of personal data say why; agreeing later from the banner', async () => {
    const openid = `o_cons_decline_${Date.now()}`;
    const page = await stack.open(openid, '/pages/index/index', PHONE, { consented: false });
    const log = networkLog(page);
    const gate = visible(page, 'privacy-gate');
    await gate.waitFor();
    await visible(page, 'privacy-decline').click();
    await gate.waitFor({ state: 'hidden' });
    const banner = visible(page, 'privacy-banner');
    await expect(banner.innerText()).resolves.toContain('当前仅可浏览。签到、积分、任务、兑换、抽奖、答题、助力、领券、预约等需同意隐私政策后使用');

    // 首页 still shows what is on (browsing), and its 签到 asks for consent rather than failing.
    await visible(page, 'activity-card').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'consent-browse-home.png') });
    await visible(page, 'checkin-button').filter({ hasText: '签到' }).click();
    await gate.waitFor();
    await noErrorShown(page);
    await visible(page, 'privacy-decline').click();
    await gate.waitFor({ state: 'hidden' });

    // 活动 and 积分商城 browse as usual, under the banner.
    await page.locator('.weui-tabbar__item', { hasText: '活动' }).click();
    await visible(page, 'activity-card').first().waitFor();
    await visible(page, 'privacy-banner').waitFor();
    await page.locator('.weui-tabbar__item', { hasText: '积分商城' }).click();
    await page.locator('[data-code="DEMO-CUP"]:visible').waitFor();
    await visible(page, 'privacy-banner').waitFor();
    // 生活 too.
    await page.locator('.weui-tabbar__item', { hasText: '生活' }).click();
    await visible(page, 'life-service').first().waitFor();

    // 我的 and 积分明细 are the customer's own data: an honest state with the way to agree, never 加载失败.
    await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
    await visible(page, 'state-consent').filter({ hasText: '同意隐私政策后可查看您的账户信息' }).waitFor();
    await visible(page, 'me-points-consent').waitFor();
    await visible(page, 'me-entry-points').click();
    await visible(page, 'state-consent').filter({ hasText: '同意隐私政策后可查看您的积分' }).waitFor();
    await noErrorShown(page);
    await page.waitForTimeout(500); // the page's slide-in settles before the picture
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'consent-browse-points.png') });
    expect(await page.locator('[data-testid="state-error"]:visible').count()).toBe(0);
    expect(log.personal()).toEqual([]);

    // Agreeing later, from the banner: the page loads by itself.
    // (H5 keeps 我的 under the page it opened: this page's banner is the last one.)
    await visible(page, 'privacy-banner-agree').last().click();
    await gate.last().waitFor();
    await visible(page, 'privacy-agree').last().click();
    await gate.first().waitFor({ state: 'hidden' });
    await visible(page, 'points-balance').waitFor();
    expect(await visible(page, 'privacy-banner').count()).toBe(0);
    await page.goBack();
    await visible(page, 'me-header').waitFor();
    expect(
      (await stack.bff.call('getMyPrivacy', {}, { token: (await page.evaluate(() => JSON.parse(localStorage.getItem('bank.session')!).data.accessToken)) as string })).body
        .consentedAt,
    ).not.toBeNull();
    await page.context().close();
  }, 150_000);

  test('at 320×568 the sheet scrolls its text, and 同意并继续 is on screen and enabled; sheet and banner pass the accessibility audit', async () => {
    const page = await stack.open(`o_cons_small_${Date.now()}`, '/pages/index/index', SMALL_PHONE, { consented: false });
    await visible(page, 'privacy-gate').waitFor();
    await page.waitForTimeout(400);
    const agree = visible(page, 'privacy-agree');
    const box = (await agree.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(SMALL_PHONE.viewport.height);
    expect(box.x + box.width).toBeLessThanOrEqual(SMALL_PHONE.viewport.width);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await expect(agree.isEnabled()).resolves.toBe(true);
    // Visibly so: no disabled attribute (which greys the label), white on the brand red.
    expect(await agree.evaluate((el) => ({ disabled: el.hasAttribute('disabled'), color: getComputedStyle(el).color }))).toEqual({ disabled: false, color: 'rgb(255, 255, 255)' });
    // Nothing lies over it: a tap there lands on the button itself.
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid="privacy-agree"]') !== null,
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(hit).toBe(true);
    const decline = (await visible(page, 'privacy-decline').boundingBox())!;
    expect(decline.y + decline.height).toBeLessThanOrEqual(SMALL_PHONE.viewport.height);
    // The text is longer than the room it has: it scrolls, the buttons stay.
    const body = visible(page, 'privacy-body');
    const [scrollHeight, clientHeight] = await body.evaluate((el) => [el.scrollHeight, el.clientHeight]);
    expect(scrollHeight).toBeGreaterThan(clientHeight);
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await visible(page, 'privacy-read').waitFor();
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'consent-gate-320.png') });

    await visible(page, 'privacy-decline').click();
    await visible(page, 'privacy-banner').waitFor();
    await visible(page, 'activity-card').first().waitFor();
    await page.waitForTimeout(400);
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'consent-banner-320.png') });

    await visible(page, 'privacy-banner-agree').click();
    await agree.click();
    await visible(page, 'privacy-gate').waitFor({ state: 'hidden' });
    await visible(page, 'checkin-button').filter({ hasText: '签到 +' }).waitFor();
    await page.context().close();
  }, 120_000);

  test('every page of app.config.ts but the staff pages and the policy itself mounts the gate; the policy stays readable', async () => {
    // Taro's build defines this global; read here, the config is the plain object it returns.
    (globalThis as { defineAppConfig?: (c: unknown) => unknown }).defineAppConfig = (c) => c;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require('../../miniprogram/src/app.config').default as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
    const routes = [...config.pages, ...config.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
    const POLICY = 'packages/me/privacy/index';
    const gated = routes.filter((r) => !r.startsWith('packages/rm/') && r !== POLICY);
    expect(gated.length).toBeGreaterThanOrEqual(25);

    const page = await stack.open(`o_cons_pages_${Date.now()}`, '/pages/index/index', PHONE, { consented: false });
    const log = networkLog(page);
    const missing: string[] = [];
    for (const route of gated) {
      await page.goto(`${stack.url}/#/${route}`);
      await page.reload(); // one page in the document: an earlier one's gate must not count
      const shown = await visible(page, 'privacy-gate')
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (!shown) missing.push(route);
    }
    expect(missing).toEqual([]);
    // The policy itself is readable without agreeing: no sheet over it.
    await page.goto(`${stack.url}/#/${POLICY}`);
    await page.reload();
    await visible(page, 'privacy-page').filter({ hasText: '我们收集哪些信息' }).waitFor();
    await page.waitForTimeout(1000);
    expect(await visible(page, 'privacy-gate').count()).toBe(0);
    expect(log.personal()).toEqual([]);
    await page.context().close();
  }, 240_000);
});
