import path from 'node:path';
import { PHONE, SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { TEST_WECHAT } from '../helpers/constants';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';

let stack: H5Stack;
const openid = `o_e2e_${Date.now()}`;

beforeAll(async () => {
  stack = await startH5Stack('e2eme');
  await stack.bff.app.services.customers.upsertWithProfile(
    { id: 'cust-e2e', customerNo: 'C900000000001', openid, unionid: null, nickname: '小王', name: '王小明', phone: '13912345678', idNumber: null, orgUnitId: null },
    TEST_WECHAT.appid,
  );
}, 240_000);
afterAll(() => stack?.stop());

describe('H5 mini-program in Chromium', () => {
  test('logs in silently on launch and 我的 shows the customer’s masked profile', async () => {
    const context = await stack.phone(PHONE);
    const page = await context.newPage();
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/')) apiCalls.push(new URL(r.url()).pathname);
    });

    await page.goto(`${stack.url}/?openid=${openid}#/pages/index/index`);
    await page.getByText('暂无进行中的活动，敬请期待').waitFor();
    await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();

    await page.getByTestId('me-phone').filter({ hasText: '139****5678' }).waitFor();
    await expect(page.getByTestId('me-name').textContent()).resolves.toBe('**明');
    const text = await page.locator('body').innerText();
    expect(text).toContain('客户号 C900000000001');
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('王小明');
    // No login screen was shown: the session came from the silent WeChat login.
    expect(apiCalls).toContain('/api/v1/auth/wechat');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'me-page.png') });
    await context.close();
  });

  test('an expired access token is renewed once and the page still loads', async () => {
    const context = await stack.phone(PHONE);
    const page = await context.newPage();
    await page.goto(`${stack.url}/?openid=${openid}#/pages/me/index`);
    await page.getByTestId('me-phone').waitFor();
    stack.bff.clock.advance(20 * 60 * 1000); // the stored access token is now past its 15 minutes
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
    await page.reload();
    await refreshed;
    await page.getByTestId('me-phone').filter({ hasText: '139****5678' }).waitFor();
    await context.close();
  });

  test('a token about to end is renewed before it is used: no request is refused on the way', async () => {
    const context = await stack.phone(PHONE);
    const page = await context.newPage();
    await page.goto(`${stack.url}/?openid=${openid}#/pages/me/index`);
    await page.getByTestId('me-phone').waitFor();
    // Taro keeps { data } as JSON; the stored session now says it ends in ten seconds.
    await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('bank.session')!);
      stored.data.accessTokenExpiresAt = new Date(Date.now() + 10_000).toISOString();
      localStorage.setItem('bank.session', JSON.stringify(stored));
    });
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) refused.push(r.url());
    });
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
    await page.reload();
    await refreshed;
    await page.getByTestId('me-phone').filter({ hasText: '139****5678' }).waitFor();
    expect(refused).toEqual([]);
    await context.close();
  });

  test('when the BFF is unreachable, 我的 shows an error state with a retry button', async () => {
    const context = await stack.phone(PHONE);
    const page = await context.newPage();
    await page.route('**/api/v1/me', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'x', requestId: 'r' }) }),
    );
    await page.goto(`${stack.url}/?openid=${openid}#/pages/me/index`);
    await page.getByTestId('state-error').waitFor();
    expect(await page.getByTestId('state-error').innerText()).toContain('服务暂时不可用');
    await page.unroute('**/api/v1/me');
    await page.getByTestId('state-retry').click();
    await page.getByTestId('me-phone').waitFor();
    await context.close();
  });

  test('an activity that is gone is said as it is, with a way on: no 加载失败, no retry, no request number', async () => {
    const page = await stack.open(openid, '/packages/activity/detail/index?id=no-such-activity');
    const refused = page.getByTestId('state-refused');
    await refused.filter({ hasText: '内容不存在或已下线' }).waitFor();
    const text = await refused.innerText();
    expect(text).not.toMatch(/加载失败|重新加载|编号/);
    await page.getByTestId('state-refused-action').filter({ hasText: '看看其他活动' }).click();
    await page.waitForURL(/pages\/activities\/index/);
    await page.context().close();
  });

  test('a customer without a phone number binds the one WeChat verified, and sees it masked', async () => {
    const page = await stack.open(`o_bind_${Date.now()}`, '/pages/me/index');
    await page.getByTestId('bind-phone').click();
    await page.getByText('手机号绑定成功').waitFor();
    await page.getByTestId('me-phone').filter({ hasText: '138****8000' }).waitFor();
    await page.context().close();
  });

  test('a friend who opens my invite link is counted on my 我的', async () => {
    const me = await stack.open(`o_inviter_${Date.now()}`, '/pages/me/index');
    const count = me.getByTestId('invite-count');
    await count.filter({ hasText: '已邀请 0 人' }).waitFor();
    const code = /邀请码 ([A-Z0-9]{8})/.exec(await me.locator('body').innerText())![1];

    stack.bff.clock.advance(1); // the friend registers after me: attribution runs from earlier customers to later ones
    const friend = await (await stack.phone(PHONE)).newPage();
    const accepted = friend.waitForResponse((r) => r.url().endsWith('/api/v1/me/inviter') && r.status() === 200);
    await friend.goto(`${stack.url}/?openid=o_friend_${Date.now()}&inviter=${code}#/pages/index/index`);
    await accepted;
    await friend.context().close();

    await me.reload();
    await count.filter({ hasText: '已邀请 1 人' }).waitFor();
    await me.context().close();
  });

  test('设置: personalised marketing off, the privacy policy read again, and a deletion request recorded once', async () => {
    const page = await stack.open(openid, '/packages/me/settings/index');
    const toggle = page.getByTestId('me-personalized');
    await toggle.waitFor();
    // Outside WeChat, 联系客服 is the bank's hotline the phone dials (in WeChat, its own 客服 conversation).
    await expect(page.getByTestId('settings-contact').getAttribute('href')).resolves.toMatch(/^tel:\d/);
    await toggle.click();
    for (let i = 0; i < 50 && (await stack.bff.app.services.customers.findById('cust-e2e'))?.personalized !== false; i++) await page.waitForTimeout(100);
    expect((await stack.bff.app.services.customers.findById('cust-e2e'))?.personalized).toBe(false);
    await page.getByTestId('settings-privacy').click();
    await page.getByTestId('privacy-page').filter({ hasText: '我们收集哪些信息' }).waitFor();
    await page.goto(`${stack.url}/#/packages/me/settings/index`);
    await page.reload();
    await page.getByTestId('settings-delete').click();
    await page.getByText('确认申请').click();
    await page.getByTestId('deletion-status').filter({ hasText: '处理中' }).waitFor();
    expect(await stack.bff.db.collection('privacy_deletion_requests').countDocuments({ _id: 'cust-e2e' as never })).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings.png') });
    await page.context().close();
  });

  test('first launch asks for consent to the privacy policy; 不同意 is browse-only; once agreed, neither this phone nor another asks again', async () => {
    const newcomer = `o_consent_${Date.now()}`;
    const page = await stack.open(newcomer, '/pages/index/index', PHONE, { consented: false });
    const gate = page.getByTestId('privacy-gate');
    await gate.filter({ hasText: '我们收集哪些信息' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'privacy-consent.png') });
    await page.getByTestId('privacy-decline').click();
    await gate.waitFor({ state: 'detached' });
    // Browse-only: said, with the way back to agreeing.
    await page.getByTestId('privacy-banner').filter({ hasText: '需同意隐私政策后使用' }).waitFor();
    await page.getByTestId('privacy-banner-agree').click();
    await page.getByTestId('privacy-agree').click();
    await gate.waitFor({ state: 'detached' });
    await page.getByTestId('checkin-button').filter({ hasText: '签到 +' }).waitFor();
    await page.reload();
    await page.getByTestId('checkin-button').filter({ hasText: '签到 +' }).waitFor();
    await expect(gate.count()).resolves.toBe(0);
    await page.context().close();

    // The consent is the BFF's: another phone, with nothing stored, is not asked again.
    const other = await stack.open(newcomer, '/pages/me/index', PHONE, { consented: false });
    await other.getByTestId('me-header').waitFor();
    await other.waitForTimeout(500);
    await expect(other.getByTestId('privacy-gate').count()).resolves.toBe(0);
    await other.context().close();
  });

  test('a phone that remembers agreeing to an older policy, or whose hint the BFF contradicts, is asked again', async () => {
    const page = await (await stack.phone(PHONE, { consented: false })).newPage();
    // This phone's hint says the customer agreed, but the BFF has no consent for them: the BFF decides.
    await page.addInitScript((version) => localStorage.setItem('bank.privacyConsent', JSON.stringify({ data: version })), PRIVACY_POLICY_VERSION);
    await page.goto(`${stack.url}/?openid=o_hint_${Date.now()}#/pages/index/index`);
    await page.getByTestId('privacy-gate').waitFor();
    await page.context().close();

    const older = await (await stack.phone(PHONE, { consented: false })).newPage();
    await older.addInitScript(() => localStorage.setItem('bank.privacyConsent', JSON.stringify({ data: '2025-01' })));
    await older.goto(`${stack.url}/?openid=o_older_${Date.now()}#/pages/me/index`);
    await older.getByTestId('privacy-gate').waitFor();
    await older.context().close();
  });

  test('offline: loaded data stays on screen with a notice, a tab never opened says it cannot load, and a return visit shows the last data at once', async () => {
    // A customer of its own: cust-e2e asked for deletion above, which withdrew their consent.
    const page = await stack.open(`o_offline_${Date.now()}`, '/pages/index/index');
    await page.getByTestId('checkin-button').waitFor();
    await page.locator('.weui-tabbar__item', { hasText: '积分商城' }).click();
    await page.locator('[data-testid="mall-points"]:visible').waitFor();
    await page.locator('.weui-tabbar__item', { hasText: '首页' }).click();
    await page.context().setOffline(true);
    // Back on the mall, its refresh fails: what was loaded stays, under a notice.
    await page.locator('.weui-tabbar__item', { hasText: '积分商城' }).click();
    await page.locator('[data-testid="state-stale"]:visible').filter({ hasText: '网络不可用，以下是上次加载的内容' }).waitFor();
    await page.locator('[data-testid="mall-points"]:visible').waitFor();
    // A tab whose page never loaded: told plainly, not left on the old page.
    await page.locator('.weui-tabbar__item', { hasText: '活动' }).click();
    await page.getByText('页面未能加载，请检查网络后重试。').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'offline-tab.png') });
    await page.context().setOffline(false);

    // A return visit over a slow network: the last mall is on screen while the BFF has not answered.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => (asked = resolve));
    await page.route('**/api/v1/mall', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.goto(`${stack.url}/#/pages/mall/index`);
    await page.reload();
    await page.locator('[data-testid="mall-points"]:visible').waitFor();
    await requested; // shown from the phone's copy: the BFF's answer is still held back
    release();
    await page.context().close();
  });

  test('another customer signing in on this phone never sees the one before’s balance from the phone’s copy, not even while theirs loads', async () => {
    const before = `o_cache_a_${Date.now()}`;
    const page = await stack.open(before, '/pages/index/index');
    await page.getByTestId('home-points').filter({ hasText: /\d/ }).waitFor();
    const customerId = (await stack.bff.db.collection('wechat_identities').findOne({ _id: { $regex: before } as never }))!.customerId;
    await stack.bff.app.services.points.earn(customerId, 321, `e2e-cache-${before}`, '活动奖励');
    await page.reload();
    await page.getByTestId('home-points').filter({ hasText: '321' }).waitFor();

    // The session goes (WeChat signs another user in on this phone) and the next one's balance is held back.
    await page.evaluate(() => localStorage.removeItem('bank.session'));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/me/points', async (route) => {
      await held;
      await route.continue();
    });
    const signedIn = page.waitForResponse((r) => r.url().includes('/api/v1/auth/wechat'));
    await page.goto(`${stack.url}/?openid=o_cache_b_${Date.now()}#/pages/index/index`);
    await signedIn;
    await page.getByTestId('home-points').waitFor();
    await expect(page.getByTestId('home-points').textContent()).resolves.toBe('—');
    release();
    await page.getByTestId('home-points').filter({ hasText: '0' }).waitFor();
    await expect(page.getByTestId('home-points').textContent()).resolves.toBe('0');
    await page.context().close();
  });
});
