import path from 'node:path';
import { auditPage } from '../helpers/a11y';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemoBank } from '../helpers/seed';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2elife');
  // npm start's demo bank: its 生活 grid, two merchants' coupons and two livestreams.
  await seedDemoBank(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

describe('生活 in Chromium', () => {
  test('open 生活, a page of this app and an allowlisted web page; claim a coupon and see its code; reserve a livestream', async () => {
    const page = await stack.open(`o_life_${Date.now()}`, '/pages/life/index');
    const tile = (name: string) => page.locator(`[data-testid="life-service"][data-name="${name}"]:visible`).first();
    await tile('话费充值').waitFor();
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'life.png') });

    // A page of this app: 话费充值 opens the points mall's tab.
    await tile('话费充值').click();
    await page.locator('[data-testid="mall-points"]:visible').waitFor();

    // An allowlisted web page opens in web-view (an iframe in H5) with its address as given.
    await page.goto(`${stack.url}/#/pages/life/index`);
    await page.reload();
    await tile('ETC 办理').click();
    const frame = page.locator('[data-testid="life-webview"] iframe, iframe').first();
    await frame.waitFor({ state: 'attached' });
    expect(await frame.getAttribute('src')).toBe('https://m.yxbank.cn/etc');

    // 联名优惠: claim a coupon, see its code to show the merchant, and find it in 我的券.
    await page.goto(`${stack.url}/#/pages/life/index`);
    await page.reload();
    await page.locator('[data-testid="life-coupon"]:visible').filter({ hasText: '咖啡满 30 减 10' }).click();
    await page.locator('[data-testid="coupon-title"]:visible').waitFor();
    await page.locator('[data-testid="coupon-claim"]:visible').click();
    const code = await page.locator('[data-testid="coupon-code"]:visible').first().innerText({ timeout: 15_000 });
    expect(code).toMatch(/^[A-Z2-9]{12}$/);
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'coupon-claimed.png') });
    await page.goto(`${stack.url}/#/packages/life/coupons/index`);
    await page.reload();
    await page.locator('[data-testid="coupons-tab-mine"]:visible').click();
    await page.locator('[data-testid="my-coupon-code"]:visible').filter({ hasText: code }).waitFor();

    // 直播: reserve the upcoming one and see the reservation, here and in the list.
    await page.goto(`${stack.url}/#/packages/life/lives/index`);
    await page.reload();
    await page.locator('[data-testid="live-card"]:visible').filter({ hasText: '养老金融讲堂' }).click();
    await page.locator('[data-testid="live-state"]:visible').filter({ hasText: '预告' }).waitFor();
    await page.locator('[data-testid="live-reserve"]:visible').click();
    await page.locator('[data-testid="live-reserved"]:visible').waitFor();
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'live-reserved.png') });
    await page.goto(`${stack.url}/#/packages/life/lives/index`);
    await page.reload();
    await page.locator('[data-testid="live-card"]:visible').filter({ hasText: '养老金融讲堂' }).filter({ hasText: '已预约' }).waitFor();
    // The one on air now says so.
    await page.locator('[data-testid="live-card"]:visible').filter({ hasText: '岁末理财开放日' }).filter({ hasText: '直播中' }).waitFor();
  }, 180_000);
});
