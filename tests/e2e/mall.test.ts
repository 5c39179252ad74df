import path from 'node:path';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { auditPage } from '../helpers/a11y';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { categoryInput, itemInput, publishEntry, uploadCodes } from '../helpers/mall';
import { fillAddress, PUDONG } from '../helpers/address-form';

let stack: H5Stack;
let tokens: { admin: string; reviewer: string };
let couponCode: string;
let cupCode: string;
let picturedCode: string;

beforeAll(async () => {
  stack = await startH5Stack('e2emall');
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
  await publishEntry(stack.bff, tokens, categoryInput('CAT-LIFE', '生活权益'));
  await publishEntry(stack.bff, tokens, categoryInput('CAT-GIFT', '精选好礼'));
  const coupon = itemInput(stack.bff, { title: '瑞幸咖啡 10 元券', pricePoints: 120, initialStock: 5 });
  couponCode = coupon.code;
  const id = await publishEntry(stack.bff, tokens, coupon);
  await uploadCodes(stack.bff, tokens.admin, id, 5);
  await publishEntry(stack.bff, tokens, itemInput(stack.bff, { title: '电影票兑换券', initialStock: 0, pricePoints: 50 }));
  const cup = itemInput(stack.bff, { type: 'physical', categoryCode: 'CAT-GIFT', title: '定制保温杯', pricePoints: 60, initialStock: 3, fulfilment: { shippingNote: '包邮' } });
  cupCode = cup.code;
  await publishEntry(stack.bff, tokens, cup);
  const pictured = itemInput(stack.bff, {
    title: '星巴克中杯饮品券',
    pricePoints: 150,
    initialStock: 3,
    images: { cover: '/media/demo-coffee.svg', gallery: [] },
    fulfilment: { couponName: '星巴克中杯饮品券', validDays: 30 },
  });
  picturedCode = pictured.code;
  await uploadCodes(stack.bff, tokens.admin, await publishEntry(stack.bff, tokens, pictured), 3);
}, 240_000);
afterAll(() => stack?.stop());

async function customerIdOf(openid: string): Promise<string> {
  return (await stack.bff.db.collection('wechat_identities').findOne({ _id: { $regex: openid } as never }))!.customerId;
}

describe('points mall in Chromium', () => {
  test('check in, open the mall, redeem a coupon, see the balance drop and the code in 我的订单', async () => {
    const openid = `o_mall_${Date.now()}`;
    const page = await stack.open(openid, '/pages/index/index');
    await page.getByTestId('checkin-button').filter({ hasText: '签到 +5' }).click();
    await page.getByText('签到成功，+5 积分').waitFor();
    await stack.bff.app.services.points.earn(await customerIdOf(openid), 200, `e2e-mall-${openid}`, '活动奖励');

    await page.goto(`${stack.url}/#/pages/mall/index`);
    await page.reload();
    await page.getByTestId('mall-points').filter({ hasText: '205' }).waitFor();
    // Sold out is shown on the card, before any tap.
    await page.getByTestId('mall-item').filter({ hasText: '电影票兑换券' }).getByText('已兑完').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-home.png') });

    await page.locator(`[data-code="${couponCode}"]`).click();
    await page.getByTestId('item-price').filter({ hasText: '120 积分' }).waitFor();
    await page.getByTestId('item-redeem').filter({ hasText: '立即兑换' }).click();
    await page.getByTestId('confirm-balance').filter({ hasText: '当前积分 205，兑换后剩余 85' }).waitFor();
    await page.getByTestId('confirm-redeem').click();
    await page.getByTestId('result-headline').filter({ hasText: '兑换成功' }).waitFor();
    const code = (await page.getByTestId('order-coupon-code').innerText()).trim();
    expect(code).toMatch(/^LK[0-9A-F]{12}$/);
    await page.waitForTimeout(500); // let the page transition finish before the picture
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-result.png') });

    await page.getByTestId('result-back').click();
    await page.getByTestId('mall-points').filter({ hasText: '85' }).waitFor();

    await page.getByTestId('mall-orders-link').click();
    await page.getByTestId('order-coupon-code').filter({ hasText: code }).waitFor();
    await expect(page.getByTestId('order-status').first().innerText()).resolves.toBe('已完成');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-orders.png') });
    await page.context().close();
  });

  test('我的订单 opens an order: its 订单编号, picture, the steps that happened, the code as a barcode and a QR code, and 联系客服', async () => {
    const openid = `o_detail_${Date.now()}`;
    const page = await stack.open(openid, '/pages/me/index');
    await page.getByTestId('me-header').waitFor();
    await stack.bff.app.services.points.earn(await customerIdOf(openid), 300, `e2e-detail-${openid}`, '活动奖励');
    await page.goto(`${stack.url}/#/pages/mall/index`);
    await page.reload();
    await page.locator(`[data-code="${picturedCode}"]`).click();
    await page.getByTestId('item-redeem').filter({ hasText: '立即兑换' }).click();
    await page.getByTestId('confirm-redeem').click();
    await page.getByTestId('result-headline').filter({ hasText: '兑换成功' }).waitFor();
    const code = (await page.getByTestId('order-coupon-code').innerText()).trim();

    await page.getByTestId('result-orders').click();
    const card = page.locator('.orders-page').getByTestId('order-card').first();
    await card.getByTestId('order-coupon-code').filter({ hasText: code }).waitFor();
    // The card carries the 订单编号 and the way to show the code.
    const orderNo = (await card.getByTestId('order-no').innerText()).replace('订单编号', '').trim();
    expect(orderNo).toMatch(/^\d{16}$/);
    await card.getByTestId('order-show-code').waitFor();
    await card.locator('.order-card__title').click();

    const detail = page.locator('.order-page');
    await detail.getByTestId('order-detail-status').filter({ hasText: '已完成' }).waitFor();
    await expect(detail.getByTestId('order-detail-no').innerText()).resolves.toBe(orderNo.replace(/(\d{4})(?=\d)/g, '$1 '));
    await expect(detail.getByTestId('order-detail-title').innerText()).resolves.toBe('星巴克中杯饮品券');
    await expect(detail.getByTestId('order-detail-points').innerText()).resolves.toContain('150 积分');
    // The order time in Beijing time, to the minute.
    await expect(detail.getByTestId('order-detail-time').innerText()).resolves.toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    // The item's own picture, drawn.
    const thumb = detail.getByTestId('order-thumb').locator('img');
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await thumb.elementHandle());
    // What happened, and nothing that did not: ordered, paid, code issued.
    const steps = detail.getByTestId('order-step');
    await expect(steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).resolves.toEqual(['placed', 'paid', 'issued']);
    await expect(steps.allInnerTexts()).resolves.toEqual([expect.stringContaining('提交订单'), expect.stringContaining('积分已支付'), expect.stringContaining('券码已发放')]);
    // In a browser, 联系客服 dials the bank's hotline.
    const contact = detail.getByTestId('order-contact');
    await expect(contact.getAttribute('href')).resolves.toMatch(/^tel:\d[\d-]+$/);
    await expect(contact.innerText()).resolves.toContain('联系客服');

    // The code as a shop scans it: a barcode and a QR code, drawn and large, labelled, with the code below them.
    const pictures: Record<string, { width: number; height: number; y: number }> = {};
    for (const [testId, label] of [
      ['coupon-barcode', '券码条形码'],
      ['coupon-qr', '券码二维码'],
    ]) {
      const holder = detail.getByTestId(testId);
      await expect(holder.getAttribute('aria-label')).resolves.toBe(label);
      const img = holder.locator('img');
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
      await expect(img.getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
      pictures[testId] = (await img.boundingBox())!;
    }
    expect(pictures['coupon-barcode'].width).toBeGreaterThanOrEqual(250);
    expect(pictures['coupon-barcode'].height).toBeGreaterThanOrEqual(80);
    expect(pictures['coupon-qr'].width).toBeGreaterThanOrEqual(160);
    expect(pictures['coupon-qr'].height).toBe(pictures['coupon-qr'].width);
    const text = detail.getByTestId('coupon-code-text');
    await expect(text.innerText()).resolves.toBe(code.replace(/(.{4})(?=.)/g, '$1 '));
    expect((await text.boundingBox())!.y).toBeGreaterThan(pictures['coupon-qr'].y + pictures['coupon-qr'].height);
    // The whole page in one picture: the page scrolls inside Taro's container, so the window is made as tall as the page.
    const height = await detail.evaluate((el) => Math.ceil(el.getBoundingClientRect().height + 64));
    await page.setViewportSize({ width: 375, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-order-detail.png') });

    const orderUrl = page.url().split('#')[1];
    // Readable and usable as every page is (contrast, named controls of at least 44×44), at 375 and at 320 wide.
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    const small = await stack.open(openid, orderUrl, SMALL_PHONE);
    await small.getByTestId('coupon-qr').waitFor();
    await small.waitForTimeout(400);
    expect(await auditPage(small)).toEqual({ contrast: [], unnamed: [], small: [] });
    const qr = (await small.getByTestId('coupon-qr').boundingBox())!;
    expect(qr.x + qr.width).toBeLessThanOrEqual(320);
    await small.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-order-detail-320.png') });
    await small.context().close();

    // Another customer following the same link is told the order is not there, with the way to their own orders.
    const other = await stack.open(`o_other_${Date.now()}`, orderUrl);
    await other.getByTestId('state-refused').filter({ hasText: '未找到该订单' }).waitFor();
    await expect(other.getByText(code).count()).resolves.toBe(0);
    await other.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-order-not-found.png') });
    await other.getByTestId('state-refused-action').filter({ hasText: '查看我的订单' }).click();
    await other.locator('.orders-page').getByTestId('state-empty').waitFor();
    await other.context().close();
    await page.context().close();
  });

  test('physical goods: add an address on the confirm page, redeem, then cancel from 我的订单 and get the points back', async () => {
    const openid = `o_cup_${Date.now()}`;
    const page = await stack.open(openid, '/pages/me/index');
    await page.getByTestId('me-header').waitFor();
    // A customer's 我的 has no staff entry, and one tier wording (the mall's says the same).
    await expect(page.getByText('员工入口').count()).resolves.toBe(0);
    await page.getByTestId('me-tier').filter({ hasText: '暂无会员等级' }).waitFor();
    await stack.bff.app.services.points.earn(await customerIdOf(openid), 100, `e2e-cup-${openid}`, '活动奖励');

    await page.goto(`${stack.url}/#/pages/mall/index`);
    await page.reload();
    await page.getByText('精选好礼').click();
    await page.locator(`[data-code="${cupCode}"]`).click();
    await page.getByTestId('item-redeem').filter({ hasText: '立即兑换' }).click();
    // Confirming with a half-filled form names each problem beside its field, and orders nothing.
    await page.getByTestId('address-name').locator('input').fill('张三丰');
    await page.getByTestId('address-phone').locator('input').fill('1381234');
    await page.getByTestId('confirm-redeem').click();
    await page.getByTestId('address-error-phone').filter({ hasText: '请输入 11 位中国大陆手机号' }).waitFor();
    await page.getByTestId('address-error-region').filter({ hasText: '请选择所在地区' }).waitFor();
    await page.getByTestId('address-error-detail').waitFor();
    await expect(page.getByTestId('address-error-name').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-address-errors.png') });

    // Province, city, district: each level opens its own pane.
    await fillAddress(page, { phone: '13812345678', region: PUDONG, detail: '世纪大道 100 号' });
    // One tap saves the address and redeems: no separate save step.
    await page.getByTestId('confirm-redeem').click();
    await page.getByTestId('result-headline').filter({ hasText: '兑换成功，等待发货' }).waitFor();

    await page.getByTestId('result-orders').click();
    // The result page has its own cancel button and stays on screen until the orders page has
    // loaded: act on the orders page only.
    const ordersPage = page.locator('.orders-page');
    // Its detail: where it goes, the phone masked, and nothing shipped yet.
    await ordersPage.locator('.order-card__title').first().click();
    const detail = page.locator('.order-page');
    await detail.getByTestId('order-address').filter({ hasText: '**丰 138****5678' }).waitFor();
    await expect(detail.getByTestId('order-address').innerText()).resolves.toContain('上海市 上海市 浦东新区 世纪大道 100 号');
    await expect(detail.getByTestId('order-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).resolves.toEqual(['placed', 'paid', 'issued']);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mall-order-detail-physical.png') });
    await page.goBack();
    await ordersPage.getByTestId('order-cancel').click();
    await page.getByText('确认取消').click();
    await ordersPage.getByTestId('order-status').filter({ hasText: '已取消' }).waitFor();
    expect((await stack.bff.app.services.points.balance(await customerIdOf(openid))).balance).toBe(100);
    await page.context().close();
  });

  test('an item the customer cannot afford says how many points are missing, and cannot be confirmed', async () => {
    const openid = `o_poor_${Date.now()}`;
    const page = await stack.open(openid, '/pages/me/index');
    await page.getByTestId('me-header').waitFor();
    await stack.bff.app.services.points.earn(await customerIdOf(openid), 40, `e2e-poor-${openid}`, '活动奖励');
    await page.goto(`${stack.url}/#/pages/mall/index`);
    await page.reload();
    await page.locator(`[data-code="${couponCode}"]`).click();
    await page.getByTestId('item-price').filter({ hasText: '120 积分' }).waitFor();
    await page.goto(`${stack.url}/#/packages/mall/confirm/index?id=${await page.evaluate(() => new URLSearchParams(location.hash.split('?')[1]).get('id'))}`);
    await page.getByTestId('confirm-balance').filter({ hasText: '当前积分 40，还差 80 积分' }).waitFor();
    await expect(page.getByTestId('confirm-balance').innerText()).resolves.not.toContain('-');
    const button = page.getByTestId('confirm-redeem');
    await button.filter({ hasText: '积分不足' }).waitFor();
    await expect(button.getAttribute('class')).resolves.toContain('disabled');
    await page.context().close();
  });

  test('the mall sorts by points and filters by a points range; an out-of-tier item says which tier it needs and the customer’s own', async () => {
    const vip = itemInput(stack.bff, {
      type: 'perk',
      categoryCode: 'CAT-LIFE',
      title: '贵宾厅权益',
      pricePoints: 3000,
      initialStock: 5,
      allowedTiers: ['V4', 'V5'],
      fulfilment: { instructions: '到店出示' },
    });
    await publishEntry(stack.bff, tokens, vip);
    const page = await stack.open(`o_sort_${Date.now()}`, '/pages/mall/index');
    await page.locator('[data-testid="mall-points"]:visible').waitFor();
    await page.locator(`[data-code="${vip.code}"]`).filter({ hasText: 'V4/V5 专享 · 您暂无会员等级' }).waitFor();
    const prices = async () => (await page.locator('[data-testid="mall-item"]:visible .mall-item-card__price').allInnerTexts()).map((t) => Number(t.replace(/\D.*$/, '')));
    await page.getByTestId('mall-sort-1').click();
    const up = await prices();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.getByTestId('mall-sort-2').click();
    const down = await prices();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await page.getByTestId('mall-range-3').click();
    expect((await prices()).every((p) => p > 2000)).toBe(true);
    await page.getByTestId('mall-range-1').click();
    expect((await prices()).every((p) => p <= 500)).toBe(true);
    await page.context().close();
  });

  test('an item shows its catalogue picture, and the drawn tile when its picture cannot be loaded', async () => {
    const pictured = itemInput(stack.bff, { title: '有图的咖啡券', images: { cover: '/media/demo-coffee.svg', gallery: [] } });
    const lost = itemInput(stack.bff, { title: '图片丢失的券', images: { cover: '/media/demo-no-such-picture.svg', gallery: [] } });
    await publishEntry(stack.bff, tokens, pictured);
    await publishEntry(stack.bff, tokens, lost);
    const page = await stack.open(`o_pics_${Date.now()}`, '/pages/mall/index');
    const shown = page.locator(`[data-code="${pictured.code}"] img`);
    await shown.waitFor({ state: 'attached' });
    // Pictures load lazily, as they come into view.
    await page.locator(`[data-code="${pictured.code}"]`).scrollIntoViewIfNeeded();
    // Drawn: the picture arrived and decoded (a broken one has no natural width).
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await shown.elementHandle());
    await page.locator(`[data-code="${lost.code}"]`).scrollIntoViewIfNeeded();
    await page.locator(`[data-code="${lost.code}"] .item-cover__badge`).waitFor();
    await expect(page.locator(`[data-code="${lost.code}"] img`).count()).resolves.toBe(0);
    await page.context().close();
  });
});
