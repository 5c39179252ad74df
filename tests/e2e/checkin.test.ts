import path from 'node:path';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2echeckin');
}, 240_000);
afterAll(() => stack?.stop());

describe('daily check-in in Chromium', () => {
  test('a customer checks in from 首页, sees the points, and today marked on the calendar', async () => {
    const page = await stack.open(`o_checkin_${Date.now()}`, '/pages/index/index');
    const button = page.getByTestId('checkin-button');
    await button.filter({ hasText: '签到 +5' }).waitFor();
    await button.click();
    await page.getByText('签到成功，+5 积分').waitFor();
    await button.filter({ hasText: '今日已签' }).waitFor();
    await expect(page.getByTestId('checkin-streak').innerText()).resolves.toContain('已连续签到 1 天');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-checked-in.png') });

    await page.locator('.checkin-card__info').click();
    await page.getByTestId('checkin-day-done').first().waitFor();
    await expect(page.getByTestId('checkin-day-done').count()).resolves.toBe(1);
    await page.waitForTimeout(500); // let the page transition finish before the picture
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'checkin-calendar.png') });

    // Tapping again the same day pays nothing more.
    await page.goto(`${stack.url}/#/pages/me/index`);
    await page.reload();
    await page.getByTestId('me-points').filter({ hasText: '5' }).waitFor();
    await page.context().close();
  });
});
