import { customerSession } from '../helpers/activities';
import type { TestBff } from '../helpers/bff';
import { consoleShot, pick, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { staffToken } from '../helpers/seed';
import { createStaffAccount } from '../helpers/staff';

// Issue 30, finding 12: staff accounts, an RM's customers and 离职继承 had no screen; the queue approved requests nothing could create.
let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;

beforeAll(async () => {
  stack = await startConsole('e2econsolepeople');
  ({ bff, consoleUrl } = stack);
}, 240_000);
afterAll(() => stack?.stop());

describe('机构与人员', () => {
  test('an admin asks for a new account; a second admin approves it in the queue; it is listed with its role and unit by name', async () => {
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/people`);
    await page.getByRole('tab', { name: '员工账号', exact: true }).click();
    await page.getByRole('button', { name: '申请开通账号' }).click();
    const dialog = page.locator('.ant-modal', { hasText: '申请开通员工账号' });
    await dialog.getByLabel('姓名').fill('周新人');
    await dialog.getByLabel('登录账号').fill('zhou.xin');
    await dialog.getByLabel('初始密码').fill('Welcome#2026');
    await pick(page, dialog.getByRole('combobox', { name: '角色' }), '客户经理');
    await pick(page, dialog.getByRole('combobox', { name: '所属机构' }), /上海分行/);
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('已提交，待另一位总行管理员审批').waitFor();
    await admin.context.close();

    const second = await signInToConsole(stack.browser, consoleUrl, 'admin2');
    await second.page.goto(`${consoleUrl}/#/review`);
    await second.page.getByRole('tab', { name: /员工账号与权限/ }).click();
    const request = second.page.getByRole('row').filter({ hasText: 'zhou.xin' });
    await expect(request.innerText()).resolves.toMatch(/客户经理[\s\S]*上海分行/);
    await request.getByRole('button', { name: '通过' }).click();
    await second.page.getByRole('button', { name: '通过' }).last().click();
    await second.page.locator('.ant-message-notice').getByText('已通过', { exact: true }).waitFor();
    await second.page.goto(`${consoleUrl}/#/people`);
    await second.page.getByRole('tab', { name: '员工账号', exact: true }).click();
    await expect(second.page.getByRole('row').filter({ hasText: 'zhou.xin' }).innerText()).resolves.toMatch(/\*\*人[\s\S]*客户经理[\s\S]*上海分行/);
    expect(second.errors).toEqual([]);
    await second.context.close();
  });

  test('an RM’s customers are listed masked with their source; 离职继承 of all of them, their number shown, goes to the reviewer', async () => {
    const password = 'Handover#2026';
    await createStaffAccount(bff, { username: 'rm.leaving', password, role: 'rm', orgUnitId: 'org-sh', name: '钱离职' });
    await createStaffAccount(bff, { username: 'rm.taking', password, role: 'rm', orgUnitId: 'org-sh', name: '孙接手' });
    const leaving = await staffToken(bff, 'rm.leaving', password);
    const poster = (await bff.call('getMyPoster', undefined, { token: leaving })).body;
    for (let i = 0; i < 3; i += 1) {
      const c = await customerSession(bff);
      expect((await bff.call('recordArrival', { body: { scene: poster.scene } }, { token: c.token })).body.attributed).toBe(true);
    }

    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/people`);
    await pick(page, page.getByRole('combobox', { name: '客户经理' }), /\*\*职（/);
    await page.getByText('服务客户').waitFor();
    await expect(page.locator('.ant-statistic', { hasText: '服务客户' }).innerText()).resolves.toMatch(/3\s*位/);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 3);
    expect(await rows.first().innerText()).toMatch(/海报扫码/);
    await page.getByRole('button', { name: '离职继承' }).click();
    const dialog = page.locator('.ant-modal', { hasText: '离职继承' });
    await dialog.getByText('全部客户（3 位）').waitFor();
    await pick(page, dialog.getByRole('combobox', { name: '接手的客户经理' }), /\*\*手/);
    await dialog.getByPlaceholder(/继承原因/).fill('客户经理离职');
    await consoleShot(page, 'people-handover');
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('已提交离职继承申请，待审核员审批').waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    const reviewer = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
    await reviewer.page.goto(`${consoleUrl}/#/review`);
    await reviewer.page.getByRole('tab', { name: /离职继承/ }).click();
    await expect(reviewer.page.getByRole('row').filter({ hasText: '客户经理离职' }).innerText()).resolves.toMatch(/\*\*职[\s\S]*\*\*手/);
    await reviewer.context.close();
  });
});
