import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import { itemInput, publishEntry, uploadCodes } from '../helpers/mall';
import { checkInFromHome, chromiumDriver, passQuiz, redeemCoupon } from '../helpers/journeys';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2ejourneys');
  await seedDemo(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

// The same journeys tests/weapp/automator.test.ts drives in WeChat DevTools.
describe('the main journeys, as the weapp suite runs them', () => {
  test('check in, pass a quiz, redeem a coupon and read its code', async () => {
    const tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
    const quiz = await publishActivity(
      stack.bff,
      tokens,
      activityInput(stack.bff, {
        type: 'quiz',
        title: '旅程答题',
        reward: { kind: 'points', amount: 50 },
        settings: { questions: [{ text: '银行会索要验证码吗？', options: letteredOptions(['不会', '会']), answer: 'A' }], passScore: 1 },
      }),
    );
    const coupon = await publishEntry(stack.bff, tokens, itemInput(stack.bff, { title: '旅程咖啡券', pricePoints: 40, initialStock: 3 }));
    await uploadCodes(stack.bff, tokens.admin, coupon, 3);
    const page = await stack.open(`o_journey_${Date.now()}`, '/pages/index/index');
    const driver = chromiumDriver(page, stack.url);
    await checkInFromHome(driver);
    await passQuiz(driver, quiz);
    expect(await redeemCoupon(driver, coupon)).toMatch(/^LK[0-9A-F]{12}$/);
    await page.context().close();
  });
});
