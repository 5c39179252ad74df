import path from 'node:path';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import { drawInput } from '../helpers/draws';
import { chromiumDriver, passQuiz } from '../helpers/journeys';
import { fillAddress, PUDONG } from '../helpers/address-form';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let stack: H5Stack;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  stack = await startH5Stack('e2edraw');
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
}, 240_000);
afterAll(() => stack?.stop());

describe('lucky draw in Chromium', () => {
  test('pass a quiz → earn a chance → draw on the nine grid → the prize in 我的奖品 → claim it with an address → an admin ships it', async () => {
    const draw = drawInput(stack.bff, {
      prizes: [
        { code: 'P10', name: '10 积分', kind: 'points', points: 10, valueYuan: 0.1, weight: 1, quantity: 10 },
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 1_000_000, quantity: 3 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
      ],
      guarantee: { afterLosses: 3 },
    });
    const drawId = await publishActivity(stack.bff, tokens, draw);
    const quizId = await publishActivity(
      stack.bff,
      tokens,
      activityInput(stack.bff, {
        type: 'quiz',
        title: '答题赢抽奖机会',
        reward: { kind: 'draw_chance', count: 1, drawCode: draw.code },
        settings: { questions: [{ text: '银行会索要短信验证码吗？', options: letteredOptions(['不会', '会']), answer: 'A' }], passScore: 1 },
      }),
    );
    const openid = `o_draw_${Date.now()}`;
    const page = await stack.open(openid, '/pages/index/index');
    await page.getByTestId('home-points').waitFor();
    const d = chromiumDriver(page, stack.url);

    // No chance yet: the grid says so, and points for one chance are not there either.
    await d.open(`/packages/draw/index/index?id=${drawId}`);
    await page.locator('[data-testid="draw-chances"]:visible').filter({ hasText: '剩余抽奖机会 0 次' }).waitFor();
    await page.locator('[data-testid="draw-button"]:visible').filter({ hasText: '暂无机会' }).waitFor();
    const rules = await page.locator('[data-testid="draw-rules"]:visible').innerText();
    for (const text of ['保温杯', '概率', '共 3 份', '谢谢参与']) expect(rules).toContain(text);
    await page.locator('[data-testid="draw-guarantee"]:visible').filter({ hasText: '连续 3 次未中奖，下一次必中' }).waitFor();

    await passQuiz(d, quizId);
    await page.locator('[data-testid="quiz-result"]:visible').filter({ hasText: '抽奖机会' }).waitFor();

    await d.open(`/packages/draw/index/index?id=${drawId}`);
    await page.locator('[data-testid="draw-chances"]:visible').filter({ hasText: '剩余抽奖机会 1 次' }).waitFor();
    await page.locator('[data-testid="draw-button"]:visible').click();
    // The light lands on the cup's cell, the one the server chose, and then the result is told.
    await page.getByText('恭喜抽中 保温杯').waitFor();
    await expect(page.locator('[data-testid="draw-cell"][data-lit="yes"]:visible').getAttribute('data-code')).resolves.toBe('CUP');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'draw-won.png') });
    await page.getByText('查看奖品').click();

    const card = page.locator('[data-testid="draw-prize-card"]:visible').filter({ hasText: '保温杯' });
    await card.getByTestId('draw-prize-state').filter({ hasText: '待领取' }).waitFor();
    // No address yet: 地址管理 opens, and saving one comes back here to confirm the claim in full.
    await card.getByTestId('draw-prize-claim').click();
    await fillAddress(page, { name: '王小明', phone: '13912345678', region: PUDONG, detail: '世纪大道 100 号' });
    await page.locator('[data-testid="address-save"]:visible').click();
    await page.getByText('「保温杯」将寄往：**明 139****5678，上海市 上海市 浦东新区 世纪大道 100 号').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'draw-prize-confirm.png') });
    await page.getByText('确认领取', { exact: true }).last().click();
    await card.getByTestId('draw-prize-state').filter({ hasText: '已领取，待发货' }).waitFor();

    const [result] = (await stack.bff.call('listDrawWinners', { params: { id: drawId } }, { token: tokens.admin })).body.items;
    expect(result).toMatchObject({ prizeCode: 'CUP', claimed: true, shipped: false });
    expect(
      (await stack.bff.call('shipDrawPrize', { params: { drawId: result.drawId }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin })).status,
    ).toBe(200);
    await page.reload();
    await card.getByTestId('draw-prize-state').filter({ hasText: '已发货' }).waitFor();
    await expect(card.innerText()).resolves.toContain('顺丰 运单号 SF1234567890');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'draw-prizes.png') });
    await page.context().close();
  });

  // Issue 26, finding 8: the purchase made a new Idempotency-Key on every tap, so a lost answer and a retry paid twice.
  test('buying a chance whose answer is lost on the way: the retry carries the same Idempotency-Key and the points are taken once', async () => {
    const draw = drawInput(stack.bff, { costPoints: 20 });
    const drawId = await publishActivity(stack.bff, tokens, draw);
    const openid = `o_buy_${Date.now()}`;
    const page = await stack.open(openid, '/pages/index/index');
    await page.getByTestId('home-points').waitFor();
    // The phone's sign-in, as the BFF recorded it.
    let identity: { customerId?: string } | null = null;
    for (let i = 0; i < 50 && !identity; i++) {
      identity = await stack.bff.db.collection<{ customerId?: string }>('wechat_identities').findOne({ _id: { $regex: openid } as never });
      if (!identity) await new Promise((r) => setTimeout(r, 100));
    }
    const customerId = identity!.customerId as string;
    await stack.bff.app.services.points.earn(customerId, 100, `e2e-buy:${openid}`, '测试积分', {});
    const keys: string[] = [];
    let lose = true;
    await page.route('**/api/v1/activities/*/draw/chances', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      // The first purchase reaches the BFF and is paid; its answer never reaches the phone.
      const response = await route.fetch();
      if (lose) {
        lose = false;
        await route.abort('failed');
      } else await route.fulfill({ response });
    });
    const d = chromiumDriver(page, stack.url);
    await d.open(`/packages/draw/index/index?id=${drawId}`);
    await page.locator('[data-testid="draw-chances"]:visible').filter({ hasText: '剩余抽奖机会 0 次' }).waitFor();
    const buy = async () => {
      await page.locator('[data-testid="draw-buy"]:visible').click();
      await page.getByText('确认兑换').click();
    };
    await buy();
    await page.getByText('网络异常').first().waitFor();
    await buy();
    await page.locator('[data-testid="draw-chances"]:visible').filter({ hasText: '剩余抽奖机会 1 次' }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await stack.bff.app.services.points.balance(customerId)).balance).toBe(80);
    // A new purchase after that one succeeded is a new intent, with a key of its own.
    await buy();
    await page.locator('[data-testid="draw-chances"]:visible').filter({ hasText: '剩余抽奖机会 2 次' }).waitFor();
    expect(keys).toHaveLength(3);
    expect(keys[2]).not.toBe(keys[0]);
    expect((await stack.bff.app.services.points.balance(customerId)).balance).toBe(60);
    await page.context().close();
  });
});
