import path from 'node:path';
import { auditPage } from '../helpers/a11y';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo } from '../helpers/seed';
import { leadForRm } from '../helpers/leads';

let stack: H5Stack;

beforeAll(async () => {
  stack = await startH5Stack('e2eleads');
  await seedDemo(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

test('我的商机: the manager sees the lead with the time left, records the follow-up in the sheet, and the list shows it followed up', async () => {
  await leadForRm(stack.bff);
  const page = await stack.open(`o_rm_leads_${Date.now()}`, '/packages/rm/login/index', SMALL_PHONE);
  await page.locator('[data-testid="staff-username"]:visible input').fill('rm');
  await page.locator('[data-testid="staff-password"]:visible input').fill('Demo@2026');
  await page.locator('[data-testid="staff-login"]:visible').click();
  await page.locator('[data-testid="bench-figures"]:visible').waitFor();
  await page.locator('[data-testid="bench-tab-leads"]:visible').click();
  const lead = page.locator('[data-testid="bench-lead"]:visible').first();
  await lead.waitFor();
  await expect(lead.innerText()).resolves.toMatch(/待跟进[\s\S]*存款即将到期 ¥50,000[\s\S]*建议：电话了解续存意向[\s\S]*剩余 2[34] 小时/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });

  await lead.locator('[data-testid="lead-follow-up"]').click();
  const sheet = page.locator('[data-testid="lead-sheet"]:visible');
  await sheet.waitFor();
  await sheet.locator('[data-testid="lead-method"]').filter({ hasText: '企业微信' }).click();
  await sheet.locator('[data-testid="lead-outcome"]').filter({ hasText: '已预约' }).click();
  await sheet.locator('[data-testid="lead-note"] textarea').fill('已约周五到网点面谈');
  expect(await auditPage(page)).toEqual({ contrast: [], unnamed: [], small: [] });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rm-lead-follow-up.png') });
  // The list's reads are held from here: the row must say what was recorded from the submission's own answer.
  let held = false;
  await page.route(/\/api\/v1\/rm\/leads(\?.*)?$/, async (route) => {
    if (route.request().method() === 'GET') held = true;
    else await route.continue();
  });
  await sheet.locator('[data-testid="lead-submit"]').click();
  await sheet.waitFor({ state: 'detached' });
  await page.locator('[data-testid="bench-lead"]:visible').first().filter({ hasText: '已跟进' }).waitFor({ timeout: 10_000 });
  expect(held).toBe(false);
  await page.unroute(/\/api\/v1\/rm\/leads(\?.*)?$/);
  await expect(page.locator('[data-testid="bench-lead"]:visible').first().innerText()).resolves.toContain('企业微信 · 已预约');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rm-leads.png') });
}, 180_000);
