import path from 'node:path';
import { auditPage } from '../helpers/a11y';
import { PHONE, SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';

let stack: H5Stack;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  stack = await startH5Stack('e2ereferrals');
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
}, 240_000);
afterAll(() => stack?.stop());

/** An assist that one friend's help completes, paying `points`. */
const publishAssist = (title: string, points: number, overrides: Record<string, unknown> = {}) =>
  publishActivity(
    stack.bff,
    tokens,
    activityInput(stack.bff, {
      type: 'assist',
      title,
      rules: `集齐 1 位好友助力即得 ${points} 积分。`,
      reward: { kind: 'points', amount: points },
      settings: { helpersNeeded: 1, validHours: 24 },
      ...overrides,
    }),
  );

describe('referrals in Chromium, two phones', () => {
  test('the assist page fits a 320 px and a 375 px phone: no sideways scroll, its button inside the screen, no raw link printed', async () => {
    const activityId = await publishAssist('好友助力窄屏', 10);
    for (const phone of [SMALL_PHONE, PHONE]) {
      const page = await stack.open(`o_assist_fit_${phone.viewport.width}_${Date.now()}`, `/packages/referral/assist/index?activityId=${activityId}`, phone);
      await page.locator('[data-testid="assist-progress"]:visible').waitFor();
      const share = page.locator('[data-testid="assist-share"]:visible');
      const box = (await share.boundingBox())!;
      const fit = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth, text: document.body.innerText }));
      expect([fit.scroll <= fit.width, box.x >= 0, box.x + box.width <= fit.width]).toEqual([true, true, true]);
      expect(fit.text).not.toMatch(/https?:\/\/|scene=/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `assist-${phone.viewport.width}.png`) });
      await page.context().close();
    }
  });

  test('A starts an assist; B opens A’s link and helps; A sees the progress change and the reward', async () => {
    const activityId = await publishAssist('好友助力领积分', 100);
    const a = await stack.open(`o_assist_a_${Date.now()}`, `/packages/referral/assist/index?activityId=${activityId}`);
    await a.locator('[data-testid="assist-progress"]:visible').filter({ hasText: '已有 0/1 位好友助力' }).waitFor();
    const link = (await a.locator('[data-testid="assist-link"]:visible').getAttribute('data-link'))!;
    expect(link).toContain('scene=');

    const b = await stack.open(`o_assist_b_${Date.now()}`, link.split('#')[1]);
    // The friend sees who asked (A has no name or nickname on file: 您的好友) and how far it is, in words.
    await b.locator('[data-testid="assist-asked-by"]:visible').filter({ hasText: '您的好友 请您帮忙助力' }).waitFor();
    await b.locator('[data-testid="assist-progress"]:visible').filter({ hasText: '已有 0/1 位好友助力，还差 1 位' }).waitFor();
    await b.locator('[data-testid="assist-help"]:visible').click();
    await b.locator('[data-testid="assist-helped"]:visible').waitFor();
    // And then a next step: the same activity for themselves.
    await b.locator('[data-testid="assist-go-home"]:visible').waitFor();
    await b.locator('[data-testid="assist-start-mine"]:visible').filter({ hasText: '我也发起助力' }).click();
    await b.locator('[data-testid="assist-link"]:visible').waitFor();
    await expect(b.locator('[data-testid="assist-asked-by"]:visible').count()).resolves.toBe(0);

    // A's page looks for helps by itself while it is open.
    await a.locator('[data-testid="assist-progress"]:visible').filter({ hasText: '已有 1/1 位好友助力' }).waitFor({ timeout: 20_000 });
    await a.locator('[data-testid="assist-reward"]:visible').filter({ hasText: '奖励已发放' }).waitFor();
    // The friend is listed by their masked name (this one has none yet: 微信用户), never by an identifier.
    const helpers = await a.locator('[data-testid="assist-helpers"]:visible').innerText();
    expect(helpers).toContain('微信用户');
    expect(helpers).not.toMatch(/o_assist_b|cust-/);
    await a.screenshot({ path: path.join(SCREENSHOT_DIR, 'assist-completed.png') });

    // The assist's mini-program code opens the home page with its scene: the assist opens from there.
    const scene = link.split('scene=')[1];
    const c = await stack.open(`o_assist_c_${Date.now()}`, `/pages/index/index?scene=${scene}`);
    await c.locator('[data-testid="assist-progress"]:visible').filter({ hasText: '已有 1/1 位好友助力' }).waitFor();
    expect(await c.getByText('好友的助力已集齐').isVisible()).toBe(true);

    // Browsing left page views behind, batched by the tracker and kept by the BFF.
    const views = () => stack.bff.db.collection('behaviour_events').countDocuments({ type: 'page_view', page: 'packages/referral/assist/index' });
    for (let i = 0; i < 100 && (await views()) < 3; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await views()).toBeGreaterThanOrEqual(3);
  }, 120_000);

  test('a starter whose page catches the assist completed while its reward is still on its way is told when it is paid, without leaving the page', async () => {
    const activityId = await publishAssist('助力到账提示', 20);
    const starter = await stack.open(`o_assist_wait_${Date.now()}`, `/packages/referral/assist/index?activityId=${activityId}`);
    const link = (await starter.locator('[data-testid="assist-link"]:visible').getAttribute('data-link'))!;
    // The moment between the last help and the reward's payment, as the starter's page can catch it (a busy server widens
    // it): the first answer it gets after completion says the reward is on its way.
    let caught = false;
    await starter.route('**/api/v1/activities/*/assists', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      if (caught || body.state !== 'completed') return route.fulfill({ response });
      caught = true;
      return route.fulfill({ response, json: { ...body, rewardState: 'pending' } });
    });
    const friend = await stack.open(`o_assist_wait_friend_${Date.now()}`, link.split('#')[1]);
    await friend.locator('[data-testid="assist-help"]:visible').click();
    await friend.locator('[data-testid="assist-helped"]:visible').waitFor();
    await friend.context().close();
    await starter.locator('[data-testid="assist-reward"]:visible').filter({ hasText: '奖励发放中' }).waitFor({ timeout: 20_000 });
    await starter.locator('[data-testid="assist-reward"]:visible').filter({ hasText: '奖励已发放：20 积分' }).waitFor({ timeout: 20_000 });
    await starter.context().close();
  });

  test('an invite’s card and page say what its rules pay; an assist completed after its budget ran out tells the starter so', async () => {
    const invite = await publishActivity(
      stack.bff,
      tokens,
      activityInput(stack.bff, {
        type: 'invite',
        title: '邀请好友注册有礼',
        rules: '每邀请一位好友注册得 30 积分，每人最多 3 位；好友注册得 10 积分。',
        reward: { kind: 'points', amount: 30 },
        settings: { qualifyingAction: 'register', maxInvitesPerCustomer: 3, welcomeReward: { kind: 'points', amount: 10 } },
      }),
    );
    const page = await stack.open(`o_invite_card_${Date.now()}`, '/pages/activities/index');
    const card = page.locator('[data-testid="activity-card"]:visible').filter({ hasText: '邀请好友注册有礼' });
    await card.waitFor();
    expect(await card.locator('[data-testid="activity-card-reward"]').innerText()).toBe('每邀请 1 位好友注册得 30 积分，最多 3 位；好友得 10 积分');
    await card.click();
    await page.locator('.activity-page__reward:visible').filter({ hasText: '每邀请 1 位好友注册得 30 积分，最多 3 位' }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain('参与得 30 积分');
    expect(invite).toBeTruthy();

    // A budget of one reward: the first assist completed takes it, the second is told the reward ran out.
    const assistActivity = await publishAssist('限量好友助力', 50, { rules: '集齐 1 位好友助力即得 50 积分，名额有限。', budget: { maxRewards: 1 } });
    const first = await stack.open(`o_assist_first_${Date.now()}`, `/packages/referral/assist/index?activityId=${assistActivity}`);
    const firstLink = (await first.locator('[data-testid="assist-link"]:visible').getAttribute('data-link'))!;
    const second = await stack.open(`o_assist_second_${Date.now()}`, `/packages/referral/assist/index?activityId=${assistActivity}`);
    const secondLink = (await second.locator('[data-testid="assist-link"]:visible').getAttribute('data-link'))!;
    for (const [i, link] of [firstLink, secondLink].entries()) {
      const friend = await stack.open(`o_assist_friend_${i}_${Date.now()}`, link.split('#')[1]);
      await friend.locator('[data-testid="assist-help"]:visible').click();
      await friend.locator('[data-testid="assist-helped"]:visible').waitFor();
      await friend.context().close();
    }
    await first.locator('[data-testid="assist-reward"]:visible').filter({ hasText: '奖励已发放：50 积分' }).waitFor({ timeout: 20_000 });
    await second.locator('[data-testid="assist-reward"]:visible').filter({ hasText: '本活动奖励已发完' }).waitFor({ timeout: 20_000 });
    expect(await second.locator('[data-testid="assist-reward"]:visible').innerText()).not.toContain('已发放');
    await second.screenshot({ path: path.join(SCREENSHOT_DIR, 'assist-budget-spent.png') });
  }, 120_000);

  test('a relationship manager signs in, opens the workbench and sees the poster drawn with their code', async () => {
    const page = await stack.open(`o_rm_phone_${Date.now()}`, '/packages/rm/login/index');
    await page.locator('[data-testid="staff-username"]:visible input').fill('rm');
    await page.locator('[data-testid="staff-password"]:visible input').fill('Demo@2026');
    await page.locator('[data-testid="staff-login"]:visible').click();
    await page.locator('[data-testid="bench-figures"]:visible').waitFor();
    // The workbench opens on 我的任务; a manager with no customers yet is told so on 我的客户.
    await page.locator('[data-testid="bench-tab-customers"]:visible').click();
    await page.locator('[data-testid="state-empty"]:visible').filter({ hasText: '还没有客户' }).waitFor();
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    await page.locator('[data-testid="bench-tab-poster"]:visible').click();
    await page.locator('[data-testid="poster"][data-ready="yes"]:visible').waitFor();
    expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
    // The code sits in the poster's lower half: drawn, so not blank white there.
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="poster"] canvas') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(150, 540, 300, 300);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark += 1;
      return dark / (data.length / 4);
    });
    expect(inked).toBeGreaterThan(0.05);
    const calls = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/wxacodes`)).json();
    const poster = await stack.bff.call('getMyPoster', undefined, { token: await staffToken(stack.bff, 'rm') });
    expect(calls.items.map((c: { scene: string }) => c.scene)).toContain(poster.body.scene);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rm-poster.png') });
  }, 120_000);
});
