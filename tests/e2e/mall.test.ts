import path from 'node:path';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { categoryInput, itemInput, publishEntry, uploadCodes } from '../helpers/mall';

let stack: H5Stack;
let tokens: { admin: string; reviewer: string };
let couponCode: string;
let cupCode: string;

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

    await page.getByTestId('address-phone').locator('input').fill('13812345678');
    await page.getByTestId('address-region').click();
    // Province, city, district: each level opens its own pane.
    for (const [level, place] of ['上海市', '上海市', '浦东新区'].entries()) {
      await page
        .locator('.nut-cascader-pane')
        .nth(level)
        .locator('.nut-cascader-item')
        .filter({ hasText: new RegExp(`^${place}$`) })
        .click();
    }
    await page.getByTestId('address-region').filter({ hasText: '上海市 上海市 浦东新区' }).waitFor();
    await page.getByTestId('address-detail').locator('input').fill('世纪大道 100 号');
    // One tap saves the address and redeems: no separate save step.
    await page.getByTestId('confirm-redeem').click();
    await page.getByTestId('result-headline').filter({ hasText: '兑换成功，等待发货' }).waitFor();

    await page.getByTestId('result-orders').click();
    // The result page has its own cancel button and stays on screen until the orders page has
    // loaded: act on the orders page only.
    const ordersPage = page.locator('.orders-page');
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
    await page.locator(`[data-code="${lost.code}"] .item-cover__glyph`).waitFor();
    await expect(page.locator(`[data-code="${lost.code}"] img`).count()).resolves.toBe(0);
    await page.context().close();
  });
});
