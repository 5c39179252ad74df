import path from 'node:path';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { signIn } from '../helpers/activities';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2echeckin');
}, 240_000);
afterAll(() => stack?.stop());

describe('daily check-in in Chromium', () => {
  test('a customer checks in from 首页, sees the points, and today marked on the calendar', async () => {
    stack.bff.clock.set(new Date('2026-11-24T10:00:00+08:00')); // a fixed day, so a missed day exists this month
    const page = await stack.open(`o_checkin_${Date.now()}`, '/pages/index/index');
    const button = page.getByTestId('checkin-button');
    await button.filter({ hasText: '签到 +5' }).waitFor();
    await button.click();
    await page.getByText('签到成功，+5 积分').waitFor();
    await button.filter({ hasText: '今日已签' }).waitFor();
    // The balance on 首页 is the server's after the check-in, without leaving the page.
    await page.getByTestId('home-points').filter({ hasText: /^5$/ }).waitFor();
    await expect(page.getByTestId('checkin-streak').innerText()).resolves.toContain('已连续签到 1 天');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-checked-in.png') });

    await page.locator('.checkin-card__info').click();
    await page.getByTestId('checkin-day-done').first().waitFor();
    await expect(page.getByTestId('checkin-day-done').count()).resolves.toBe(1);
    await page.waitForTimeout(500); // let the page transition finish before the picture
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'checkin-calendar.png') });

    await page.goto(`${stack.url}/#/pages/me/index`);
    await page.reload();
    await page.getByTestId('me-points').filter({ hasText: '5' }).waitFor();
    await page.context().close();
  });

  test('a missed day is made up from the calendar: short of points it says how many, then the price is taken and the streak joins up; days before joining are not missed', async () => {
    // Joined on 20 November: the days before it are plain, not 漏签.
    stack.bff.clock.set(new Date('2026-11-20T10:00:00+08:00'));
    const openid = `o_makeup_${Date.now()}`;
    await signIn(stack.bff, openid);
    stack.bff.clock.set(new Date('2026-11-24T10:00:00+08:00'));
    const page = await stack.open(openid, '/packages/activity/checkin/index');
    await page.getByTestId('checkin-button').filter({ hasText: '签到 +5' }).click();
    await page.getByTestId('checkin-button').filter({ hasText: '今日已签' }).waitFor();
    await page.getByTestId('checkin-day-missed-2026-11-21').waitFor();
    await expect(page.getByTestId('checkin-day-missed-2026-11-19').count()).resolves.toBe(0);
    // With 5 points, 补签 (20) says what is missing before anything is asked.
    await page.getByTestId('checkin-day-missed-2026-11-23').click();
    await page.getByText('还差 15 积分', { exact: false }).waitFor();
    await page.getByText('知道了').click();
    await expect(page.getByText('确认补签').count()).resolves.toBe(0);
    const customerId = (await stack.bff.db.collection('wechat_identities').findOne({ _id: { $regex: openid } as never }))!.customerId;
    await stack.bff.app.services.points.earn(customerId, 50, `e2e-makeup-${openid}`, '活动奖励');

    await page.getByTestId('checkin-day-missed-2026-11-23').click();
    await page.getByText('补签 11 月 23 日将消耗 20 积分', { exact: false }).waitFor();
    await page.getByText('确认补签').click();
    await page.getByText('补签成功').waitFor();
    // The calendar reloads after the toast: wait for it rather than count at once.
    await page.getByTestId('checkin-day-done').nth(1).waitFor();
    await page.getByTestId('checkin-streak').filter({ hasText: '已连续签到 2 天' }).waitFor();
    await expect(page.getByTestId('checkin-day-done').count()).resolves.toBe(2);
    expect((await stack.bff.app.services.points.balance(customerId)).balance).toBe(5 + 50 - 20);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'checkin-makeup.png') });
    await page.context().close();
  });

  test('on the 1st, a day missed last month is made up from last month’s calendar, on a small phone', async () => {
    stack.bff.clock.set(new Date('2026-11-28T10:00:00+08:00'));
    const openid = `o_makeup_prev_${Date.now()}`;
    const early = await stack.open(openid, '/packages/activity/checkin/index', SMALL_PHONE);
    await early.getByTestId('checkin-button').filter({ hasText: '签到 +5' }).click();
    await early.getByTestId('checkin-button').filter({ hasText: '今日已签' }).waitFor();
    await early.context().close();
    const customerId = (await stack.bff.db.collection('wechat_identities').findOne({ _id: { $regex: openid } as never }))!.customerId;
    await stack.bff.app.services.points.earn(customerId, 50, `e2e-makeup-prev-${openid}`, '活动奖励');

    // 29 and 30 November missed; now it is 1 December.
    stack.bff.clock.set(new Date('2026-12-01T09:00:00+08:00'));
    const page = await stack.open(openid, '/packages/activity/checkin/index', SMALL_PHONE);
    // Before today's check-in the card speaks of today, not tomorrow.
    await page.getByTestId('checkin-streak').filter({ hasText: '今日签到可得 5 积分' }).waitFor();
    await page.getByTestId('checkin-month').filter({ hasText: '2026 年 12 月' }).waitFor();
    await page.getByTestId('checkin-prev-month').click();
    await page.getByTestId('checkin-month').filter({ hasText: '2026 年 11 月' }).waitFor();
    await page.getByTestId('checkin-day-missed-2026-11-30').click();
    await page.getByText('补签 11 月 30 日将消耗 20 积分', { exact: false }).waitFor();
    await page.getByText('确认补签').click();
    await page.getByText('补签成功').waitFor();
    await page.getByTestId('checkin-day-done').nth(1).waitFor();
    expect((await stack.bff.app.services.points.balance(customerId)).balance).toBe(5 + 50 - 20);
    // Nothing earlier than last month: the calendar keeps two months.
    await page.getByTestId('checkin-prev-month').click();
    await expect(page.getByTestId('checkin-month').innerText()).resolves.toContain('11 月');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'checkin-previous-month-320.png') });
    await page.context().close();
  });
});
