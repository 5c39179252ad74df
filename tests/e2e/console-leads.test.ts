import type { TestBff } from '../helpers/bff';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { leadForRm } from '../helpers/leads';

// Issue 31: a lead 陈经理 did not follow up within its SLA goes to the branch, which sees it in 经营管理 › 商机跟进.
let stack: ConsoleStack;
let bff: TestBff;

beforeAll(async () => {
  stack = await startConsole('e2econsoleleads');
  bff = stack.bff;
}, 240_000);
afterAll(() => stack?.stop());

test('the Shanghai admin sees the escalated lead of their branch, filtered by status, the customer masked', async () => {
  await leadForRm(bff);
  bff.clock.advance(25 * 60 * 60 * 1000);
  expect((await bff.app.services.maintenance.runOnce())['leads.sla']).toMatchObject({ escalated: 1, failed: 0 });

  const { page, context, errors } = await signInToConsole(stack.browser, stack.consoleUrl, 'admin-sh');
  // 经营管理 opens with the menu (as 内容管理 does): its pages are listed at once.
  await page.getByRole('menuitem', { name: '商机跟进' }).click();
  const row = page.locator('.ant-table-row').first();
  await row.waitFor();
  await expect(row.innerText()).resolves.toMatch(/定期存款到期跟进[\s\S]*微信用户[\s\S]*存款即将到期 ¥50,000[\s\S]*\*\*理[\s\S]*上海分行[\s\S]*已升级[\s\S]*已超时/);
  await page.getByLabel('商机状态').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('已跟进', { exact: true }).click();
  await page.getByText('暂无商机').waitFor();
  await page.getByLabel('商机状态').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('已升级', { exact: true }).click();
  await page.locator('.ant-table-row').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'), null, { timeout: 3_000 }).catch(() => undefined);
  await consoleShot(page, 'steering-leads');
  // The rules are a reviewed kind of the same menu (this one is head office's, so not in the branch's list).
  await page.getByRole('menuitem', { name: '商机规则' }).click();
  await page.getByRole('button', { name: /^新建/ }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
