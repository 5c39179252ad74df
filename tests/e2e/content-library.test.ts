import path from 'node:path';
import { auditPage } from '../helpers/a11y';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { pngOf } from '../helpers/pictures';
import { seedDemoBank, staffToken, DEMO_PASSWORD } from '../helpers/seed';

/**
 * 内容库 in Chromium (issue 31): head office writes a poster in the console and a reviewer
 * approves it in 消保审核; a manager shares a piece of the demo library from the workbench, a
 * customer opens the link on their phone and the manager sees the open; content that has expired
 * says so, with the way home.
 */
let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsole('e2econtent');
  // The demo bank npm start serves, 内容库 included.
  await seedDemoBank(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

const clean = { contrast: [], unnamed: [], small: [] };
const HOUR = 3_600_000;

test('head office’s poster: the picture uploaded and the units chosen by name in the console, approved in 消保审核, then in the Shanghai manager’s 内容库', async () => {
  const { bff, consoleUrl } = stack;
  const now = bff.clock.now().getTime();
  const title = '总行新春海报（控制台）';
  const draft = { code: `E2E-POSTER-${Date.now()}`, type: 'poster', orgUnitId: 'org-hq', title, image: '/media/demo-poster-newyear.svg' } as const;
  const created = await bff.call(
    'createLibraryContent',
    { body: { ...draft, startAt: new Date(now - HOUR).toISOString(), endAt: new Date(now + 30 * 24 * HOUR).toISOString() } },
    { token: await staffToken(bff, 'admin') },
  );
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
  await admin.page.goto(`${consoleUrl}/#/content/library/${id}`);
  await admin.page.getByRole('tab', { name: '内容' }).waitFor();
  await admin.page.getByLabel('适用机构', { exact: true }).click();
  await admin.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('示例银行上海分行').click();
  await admin.page.keyboard.press('Escape');
  const picture = admin.page.locator('.ant-form-item', { has: admin.page.getByText('图片', { exact: true }) });
  await picture.locator('input[type=file]').setInputFiles({ name: '新春海报.png', mimeType: 'image/png', buffer: pngOf(300, 450, [200, 30, 40]) });
  await picture.getByRole('img', { name: '图片预览' }).waitFor();
  await consoleShot(admin.page, 'library-poster');
  await admin.page.getByRole('button', { name: '保存草稿' }).click();
  await admin.page.getByText('已保存').first().waitFor();
  await admin.page.getByRole('button', { name: '提交审核' }).click();
  await admin.page.getByText('已提交消保审核').waitFor();
  const saved = (await bff.call('getLibraryContent', { params: { id } }, { token: await staffToken(bff, 'admin') })).body;
  expect(saved.working.unitIds).toEqual(['org-sh']);
  expect(saved.working.image).toMatch(/^\/media\/up-[0-9a-f]{32}\.png$/);
  expect(admin.errors).toEqual([]);
  await admin.context.close();

  const reviewer = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
  await reviewer.page.getByRole('heading', { name: '消保审核' }).waitFor();
  await reviewer.page.getByRole('row').filter({ hasText: draft.code }).getByRole('link', { name: '审核' }).click();
  await reviewer.page.getByRole('button', { name: '审核通过' }).click();
  await reviewer.page.getByRole('button', { name: '确认通过' }).click();
  await reviewer.page.getByText('审核通过', { exact: true }).first().waitFor();
  expect(reviewer.errors).toEqual([]);
  await reviewer.context.close();

  const usable = (await bff.call('listUsableContent', {}, { token: await staffToken(bff, 'rm') })).body.items as { id: string }[];
  expect(usable.map((c) => c.id)).toContain(id);
}, 180_000);

test('a manager shares a 话术 from 内容库 (a link copied, never shown), a customer opens it, and the manager sees one open', async () => {
  const rm = await stack.open(`o_rm_content_${Date.now()}`, '/packages/rm/login/index', SMALL_PHONE);
  await rm.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await rm.locator('[data-testid="staff-username"]:visible input').fill('rm');
  await rm.locator('[data-testid="staff-password"]:visible input').fill(DEMO_PASSWORD);
  await rm.locator('[data-testid="staff-login"]:visible').click();
  await rm.locator('[data-testid="bench-tab-library"]:visible').click();
  const script = rm.locator('[data-testid="bench-content"]:visible').filter({ hasText: '年末理财问候话术' });
  await script.filter({ hasText: '我的分享已有 0 位客户打开' }).waitFor();
  // Shanghai's manager sees the Shanghai poster as well as head office's content.
  await rm.locator('[data-testid="bench-content"]:visible').filter({ hasText: '上海分行新春海报' }).waitFor();
  expect(await auditPage(rm)).toEqual(clean);
  await rm.screenshot({ path: path.join(SCREENSHOT_DIR, 'rm-library.png') });

  const shared = rm.waitForResponse((r) => /\/api\/v1\/rm\/library\/[^/]+\/shares$/.test(r.url()) && r.ok());
  await script.locator('[data-testid="bench-content-share"]').click();
  const share = (await (await shared).json()) as { path: string; scene: string };
  await rm.getByText('链接已复制，发给客户吧').waitFor();
  const copied = await rm.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`#${share.path}`);
  expect(await rm.locator('body').innerText()).not.toContain(share.scene);

  // The customer opens the pasted link: the content, addressed to them, from head office.
  const customer = await stack.open(`o_content_reader_${Date.now()}`, share.path, SMALL_PHONE);
  await customer.locator('[data-testid="content-title"]:visible').filter({ hasText: '年末理财问候话术' }).waitFor();
  await customer.locator('[data-testid="content-body"]:visible').filter({ hasText: '您好' }).waitFor();
  await customer.getByText('示例银行总行', { exact: false }).waitFor();
  expect(await auditPage(customer)).toEqual(clean);
  await customer.screenshot({ path: path.join(SCREENSHOT_DIR, 'content-view.png') });

  await rm.locator('[data-testid="bench-tab-customers"]:visible').click();
  await rm.locator('[data-testid="bench-tab-library"]:visible').click();
  await script.filter({ hasText: '我的分享已有 1 位客户打开' }).waitFor();
  await Promise.all([rm.context().close(), customer.context().close()]);
}, 180_000);

test('content past its validity shows its own state with 返回首页, which leads home', async () => {
  const tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
  const now = stack.bff.clock.now().getTime();
  const created = await stack.bff.call(
    'createLibraryContent',
    {
      body: {
        code: `E2E-CNT-${Date.now()}`,
        type: 'script',
        orgUnitId: 'org-hq',
        title: '限时话术',
        body: '您好，本周末网点有理财讲座，欢迎预约。',
        startAt: new Date(now - HOUR).toISOString(),
        endAt: new Date(now + HOUR).toISOString(),
      },
    },
    { token: tokens.admin },
  );
  const id = created.body.id as string;
  expect((await stack.bff.call('submitLibraryContent', { params: { id } }, { token: tokens.admin })).status).toBe(200);
  expect((await stack.bff.call('approveLibraryContent', { params: { id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
  stack.bff.clock.advance(2 * HOUR);

  const page = await stack.open(`o_content_expired_${Date.now()}`, `/packages/content/view/index?id=${id}`, SMALL_PHONE);
  await page.locator('[data-testid="state-refused"]:visible').filter({ hasText: '该内容已过期或已下线' }).waitFor();
  expect(await auditPage(page)).toEqual(clean);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'content-unavailable.png') });
  await page.locator('[data-testid="state-refused-action"]:visible').filter({ hasText: '返回首页' }).click();
  await page.waitForURL(/#\/pages\/index\/index/);
  await page.context().close();
}, 120_000);
