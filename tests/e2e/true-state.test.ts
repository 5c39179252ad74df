import path from 'node:path';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity, signIn } from '../helpers/activities';
import { livestreamInput, publishReviewed } from '../helpers/life';
import { categoryInput, givePoints, itemInput, publishEntry, redeem } from '../helpers/mall';
import { fillAddress, PUDONG } from '../helpers/address-form';

// What the screen says after an action is what the server then holds: pages that once told a
// customer something untrue (a reservation not shown, an address asked for twice).
let stack: H5Stack;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  stack = await startH5Stack('e2etruestate');
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
}, 240_000);
afterAll(() => stack?.stop());

describe('state that is always true, in Chromium', () => {
  test('预约直播 on the activity shows 已预约 at once, and 生活 shows that show reserved instead of offering it again', async () => {
    const now = stack.bff.clock.now().getTime();
    const activity = await publishActivity(stack.bff, tokens, activityInput(stack.bff, { title: '养老讲堂预约有礼', reward: { kind: 'points', amount: 10 } }));
    const show = livestreamInput(new Date(now + 2 * 3_600_000).toISOString(), new Date(now + 3 * 3_600_000).toISOString(), {
      title: '养老金融讲堂（预约有礼）',
      activityIds: [activity],
    });
    await publishReviewed(stack.bff, tokens, 'livestreams', show);

    const page = await stack.open(`o_reserve_${Date.now()}`, `/packages/activity/detail/index?id=${activity}`);
    await page.getByTestId('activity-join').filter({ hasText: '预约直播' }).click();
    await page.getByText('预约成功，已获得 10 积分', { exact: false }).waitFor();
    await page.getByTestId('activity-join').filter({ hasText: '已预约' }).waitFor();

    await page.goto(`${stack.url}/#/packages/life/lives/index`);
    await page.reload();
    await page.locator('[data-testid="live-card"]:visible').filter({ hasText: show.title }).filter({ hasText: '已预约' }).click();
    await page.locator('[data-testid="live-reserved"]:visible').waitFor();
    await expect(page.locator('[data-testid="live-reserve"]:visible').count()).resolves.toBe(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'live-reserved-from-activity.png') });
    await page.context().close();
  });

  test('a redemption refused after the address was saved keeps that address selected: never asked for, or saved, twice', async () => {
    await publishEntry(stack.bff, tokens, categoryInput('CAT-GIFT', '精选好礼'));
    const last = itemInput(stack.bff, { type: 'physical', categoryCode: 'CAT-GIFT', title: '限量帆布包', pricePoints: 30, initialStock: 1, fulfilment: { shippingNote: '包邮' } });
    const itemId = await publishEntry(stack.bff, tokens, last);
    const openid = `o_keepaddr_${Date.now()}`;
    const me = await signIn(stack.bff, openid);
    await givePoints(stack.bff, me.id, 100);
    const page = await stack.open(openid, `/packages/mall/confirm/index?id=${itemId}`);
    await page.getByTestId('confirm-balance').filter({ hasText: '当前积分 100' }).waitFor();

    // Someone else takes the last one while this customer types an address.
    const rival = await signIn(stack.bff, `o_rival_${Date.now()}`);
    await givePoints(stack.bff, rival.id, 100);
    const address = { name: '李四', phone: '13912345678', region: '上海市 上海市 浦东新区', detail: '世纪大道 1 号' };
    const saved = await stack.bff.call('addMyAddress', { body: address }, { token: rival.token });
    expect((await redeem(stack.bff.url, rival.token, { itemId, addressId: saved.body.id })).status).toBe(200);

    await fillAddress(page, { name: '张三丰', phone: '13812345678', region: PUDONG, detail: '世纪大道 100 号' });
    await page.getByTestId('confirm-redeem').click();
    await page.getByText('商品已兑完', { exact: false }).first().waitFor();

    // The address is on the server once, and on screen as the chosen one: no empty form to fill again.
    await page.getByTestId('address-option').filter({ hasText: '世纪大道 100 号' }).waitFor();
    await expect(page.getByTestId('address-option').count()).resolves.toBe(1);
    await expect(page.locator('.mall-confirm-page__address--on').innerText()).resolves.toContain('世纪大道 100 号');
    await expect(page.getByTestId('address-name').count()).resolves.toBe(0);
    expect((await stack.bff.call('listMyAddresses', {}, { token: me.token })).body.items).toHaveLength(1);
    await page.context().close();
  });

  test('an activity that has ended says so, with a way on: no 加载失败, no retry, no request number', async () => {
    const now = stack.bff.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const ending = activityInput(stack.bff, { title: '限时预约有礼', schedule: { startAt: iso(now - 3_600_000), endAt: iso(now + 60_000) } });
    const id = await publishActivity(stack.bff, tokens, ending);
    stack.bff.clock.advance(2 * 60_000);
    try {
      const page = await stack.open(`o_ended_${Date.now()}`, `/packages/activity/detail/index?id=${id}`);
      const refused = page.getByTestId('state-refused');
      await refused.filter({ hasText: '活动已结束' }).waitFor();
      expect(await refused.innerText()).not.toMatch(/加载失败|重新加载|编号|未开始/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'activity-ended.png') });
      await page.getByTestId('state-refused-action').filter({ hasText: '看看其他活动' }).click();
      await page.waitForURL(/pages\/activities\/index/);
      await page.context().close();
    } finally {
      stack.bff.clock.advance(-2 * 60_000);
    }
  });
});
