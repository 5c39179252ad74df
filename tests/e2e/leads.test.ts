import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { auditPage } from '../helpers/a11y';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';

let stack: H5Stack;

beforeAll(async () => {
  stack = await startH5Stack('e2eleads');
  await seedDemo(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

const HOUR = 60 * 60 * 1000;

/** A live 商机规则 and one of 陈经理's customers whose deposit is maturing: a lead in 我的商机. */
async function leadForRm(): Promise<void> {
  const bff = stack.bff;
  const [admin, reviewer, rm] = [await staffToken(bff, 'admin'), await staffToken(bff, 'reviewer'), await staffToken(bff, 'rm')];
  const now = bff.clock.now().getTime();
  const created = await bff.call(
    'createLeadRule',
    {
      body: {
        code: `LEAD-${randomUUID().slice(0, 8)}`,
        type: 'lead_rule',
        orgUnitId: 'org-hq',
        name: '定期存款到期跟进',
        suggestion: '电话了解续存意向，介绍三年期定期存款',
        event: { source: 'bank', name: 'deposit_maturing' },
        conditions: [],
        repeat: { times: 1, withinDays: 7 },
        windowDays: 30,
        slaHours: 24,
        schedule: { startAt: new Date(now - HOUR).toISOString(), endAt: new Date(now + 30 * 24 * HOUR).toISOString() },
      },
    },
    { token: admin },
  );
  expect(created.status).toBe(201);
  expect((await bff.call('submitLeadRule', { params: { id: created.body.id } }, { token: admin })).status).toBe(200);
  expect((await bff.call('approveLeadRule', { params: { id: created.body.id }, body: {} }, { token: reviewer })).status).toBe(200);
  const poster = await bff.call('getMyPoster', undefined, { token: rm });
  bff.clock.advance(1);
  const c = await customerSession(bff);
  expect((await bff.call('recordArrival', { body: { scene: poster.body.scene } }, { token: c.token })).body.attributed).toBe(true);
  const reported = await bankRequest(bff, '/bank/conversions', {
    eventId: `dm-${randomUUID()}`,
    kind: 'deposit_maturing',
    occurredAt: bff.clock.now().toISOString(),
    customerId: c.id,
    amountYuan: 50_000,
  });
  expect(reported.status).toBe(200);
  // The stack's workers make the lead from the event feed.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await bff.call('listMyLeads', { query: { limit: '20' } }, { token: rm })).body.items.length === 0) await new Promise((r) => setTimeout(r, 200));
}

test('我的商机: the manager sees the lead with the time left, records the follow-up in the sheet, and the list shows it followed up', async () => {
  await leadForRm();
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
  await sheet.locator('[data-testid="lead-submit"]').click();
  await sheet.waitFor({ state: 'detached' });
  await page.locator('[data-testid="bench-lead"]:visible').first().filter({ hasText: '已跟进' }).waitFor();
  await expect(page.locator('[data-testid="bench-lead"]:visible').first().innerText()).resolves.toContain('企业微信 · 已预约');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rm-leads.png') });
}, 180_000);
