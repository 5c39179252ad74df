import path from 'node:path';
// miniprogram-automator's CommonJS entry has no declarations for its default export's shape.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const automator = require('miniprogram-automator') as { launch(options: { cliPath: string; projectPath: string }): Promise<MiniProgram> };
import { ROOT } from '../../scripts/lib/ferretdb';
import { buildMiniprogram } from '../../scripts/lib/miniprogram-build';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import { itemInput, publishEntry, uploadCodes } from '../helpers/mall';
import { wechatCode } from '../helpers/wechat';
import { checkInFromHome, passQuiz, redeemCoupon, type Driver, type Target } from '../helpers/journeys';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

type Element = { text(): Promise<string>; tap(): Promise<void> };
type Page = { $$(selector: string): Promise<Element[]>; waitFor(ms: number): Promise<void> };
type MiniProgram = { reLaunch(url: string): Promise<Page>; currentPage(): Promise<Page>; mockWxMethod(method: string, result: unknown): Promise<void>; close(): Promise<void> };

/**
 * The weapp build driven in WeChat DevTools, through the same journeys as the Chromium suite.
 * DevTools has no Linux build: this runs only where WECHAT_DEVTOOLS_CLI points at its CLI (a
 * bank developer's macOS or Windows machine, with the service port enabled in its settings).
 */
const cliPath = process.env.WECHAT_DEVTOOLS_CLI;
if (!cliPath) console.warn('weapp automator suite skipped: set WECHAT_DEVTOOLS_CLI to WeChat DevTools’ CLI to run it (DevTools has no Linux build).');

/** Finds a target by its class, waiting for its text as the Chromium driver does. */
function weappDriver(mp: MiniProgram): Driver {
  const find = async (t: Target, text?: string | RegExp): Promise<Element> => {
    for (let i = 0; i < 100; i++) {
      const page = await mp.currentPage();
      for (const el of await page.$$(`.${t.className}`)) {
        const content = await el.text();
        if (text === undefined || (typeof text === 'string' ? content.includes(text) : text.test(content))) return el;
      }
      await page.waitFor(200);
    }
    throw new Error(`.${t.className} ${text ?? ''} never appeared`);
  };
  return {
    async open(route) {
      await mp.reLaunch(route);
    },
    tap: async (t) => (await find(t)).tap(),
    waitText: async (t, text) => (await find(t, text)).text(),
  };
}

(cliPath ? describe : describe.skip)('the weapp build in WeChat DevTools', () => {
  let bff: TestBff;
  let mp: MiniProgram;
  beforeAll(async () => {
    bff = await startBff('weappautomator');
    await seedDemo(bff);
    // The build talks to this test's BFF; WeChat's login is answered by the project's fake WeChat.
    process.env.TARO_APP_API_BASE = bff.url;
    await buildMiniprogram('weapp', { quiet: true });
    mp = await automator.launch({ cliPath: cliPath!, projectPath: path.join(ROOT, 'miniprogram/dist/weapp') });
    await mp.mockWxMethod('login', { code: (await wechatCode({ openid: `o_weapp_${Date.now()}` })).code, errMsg: 'login:ok' });
  }, 600_000);
  afterAll(async () => {
    await mp?.close();
    await bff?.stop();
  });

  test('check in, pass a quiz, redeem a coupon and read its code in 我的订单', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const quiz = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'quiz',
        title: '旅程答题',
        reward: { kind: 'points', amount: 50 },
        settings: { questions: [{ text: '银行会索要验证码吗？', options: letteredOptions(['不会', '会']), answer: 'A' }], passScore: 1 },
      }),
    );
    const coupon = await publishEntry(bff, tokens, itemInput(bff, { title: '旅程咖啡券', pricePoints: 40, initialStock: 3 }));
    await uploadCodes(bff, tokens.admin, coupon, 3);
    const driver = weappDriver(mp);
    await checkInFromHome(driver);
    await passQuiz(driver, quiz);
    expect(await redeemCoupon(driver, coupon)).toMatch(/^LK[0-9A-F]{12}$/);
  }, 300_000);
});
