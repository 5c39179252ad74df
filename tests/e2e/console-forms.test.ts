import type { Page } from 'playwright-core';
import { activityInput, publishActivity } from '../helpers/activities';
import type { TestBff } from '../helpers/bff';
import { drawInput } from '../helpers/draws';
import { consoleShot, expiredSessionContext, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { DEMO_PASSWORD, staffToken } from '../helpers/seed';

let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;

beforeAll(async () => {
  stack = await startConsole('e2econsoleforms');
  ({ bff, consoleUrl } = stack);
}, 240_000);
afterAll(() => stack?.stop());

const signIn = (username: string) => signInToConsole(stack.browser, consoleUrl, username);

/** A draft activity of the head office's admin, made through the API; returns its id. */
async function draft(title: string): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/activities', { token: await staffToken(bff, 'admin'), body: activityInput(bff, { title }) });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function openDocument(page: Page, id: string) {
  await page.goto(`${consoleUrl}/#/content/activities/${id}`);
  await page.getByRole('tab', { name: '内容' }).waitFor();
}

/** Text boxes, number boxes and dropdowns a user could type into or change. */
const editableFields = (page: Page) =>
  page
    .locator('form input, form textarea')
    .evaluateAll((els) => els.filter((el) => !(el as HTMLInputElement).disabled && !(el as HTMLInputElement).readOnly && (el as HTMLElement).offsetParent !== null).length);

describe('console forms keep the work and show only what may be changed', () => {
  test('提交审核 after an edit that was not saved sends the edit, and the form then shows the server’s version', async () => {
    const id = await draft('周末理财讲座');
    const admin = await signIn('admin');
    await openDocument(admin.page, id);
    await admin.page.getByLabel('标题').fill('周末理财讲座（改期）');
    await admin.page.getByRole('button', { name: '提交审核' }).click();
    await admin.page.getByText('已提交消保审核').waitFor();
    await admin.page.getByText('审核中：审核完成前不能修改。').waitFor();
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe('周末理财讲座（改期）');
    await expect(admin.page.getByText('有未保存的修改').count()).resolves.toBe(0);
    const submitted = (await bff.call('getActivity', { params: { id } }, { token: await staffToken(bff, 'admin') })).body;
    expect(submitted).toMatchObject({ workingState: 'pending_review', working: { title: '周末理财讲座（改期）' } });
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a reviewer’s view of a document has no field that can be typed into or changed', async () => {
    const id = await draft('客户答谢季');
    const reviewer = await signIn('reviewer');
    await openDocument(reviewer.page, id);
    await expect(reviewer.page.getByLabel('标题').inputValue()).resolves.toBe('客户答谢季');
    await expect(editableFields(reviewer.page)).resolves.toBe(0);
    await expect(reviewer.page.getByRole('button', { name: '保存草稿' }).count()).resolves.toBe(0);
    await consoleShot(reviewer.page, 'reviewer-read-only');
    await reviewer.context.close();
  });

  test('opening one document after another in the same tab shows only the second one’s values', async () => {
    const first = await draft('春节积分加倍');
    const second = await draft('元宵猜灯谜');
    const admin = await signIn('admin');
    await openDocument(admin.page, first);
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe('春节积分加倍');
    await openDocument(admin.page, second);
    await admin.page.getByRole('heading', { name: /元宵猜灯谜/ }).waitFor();
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe('元宵猜灯谜');
    // Saving it keeps its own name, not the first document's.
    await admin.page.getByRole('button', { name: '保存草稿' }).click();
    await admin.page.getByText('已保存为草稿').waitFor();
    expect((await bff.call('getActivity', { params: { id: second } }, { token: await staffToken(bff, 'admin') })).body.working).toMatchObject({ title: '元宵猜灯谜' });
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('leaving a form with unsaved edits asks first, inside the console and when the tab is closed', async () => {
    const id = await draft('信用卡分期优惠');
    const admin = await signIn('admin');
    await openDocument(admin.page, id);
    await admin.page.getByLabel('标题').fill('信用卡分期优惠（草稿）');
    await admin.page.getByRole('menuitem', { name: '活动效果' }).click();
    const leave = admin.page.getByRole('dialog').filter({ hasText: '离开此页？' });
    await leave.getByText('本页有未保存的修改，离开后这些修改将丢失。').waitFor();
    await leave.getByRole('button', { name: '留在此页' }).click();
    // Closed before the tab is: its closing motion must not be left half-run under the browser's own prompt.
    await leave.waitFor({ state: 'hidden' });
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe('信用卡分期优惠（草稿）');
    expect(admin.page.url()).toContain(`/content/activities/${id}`);

    // Closing the tab: the browser's own prompt, and staying keeps the edit.
    const unload = admin.page.waitForEvent('dialog');
    await admin.page.close({ runBeforeUnload: true });
    const asked = await unload;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss();
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe('信用卡分期优惠（草稿）');

    // Once saved, nothing holds the user back.
    await admin.page.getByRole('button', { name: '保存草稿' }).click();
    await admin.page.getByText('已保存为草稿').waitFor();
    await admin.page.getByRole('menuitem', { name: '活动效果' }).click();
    await admin.page.getByRole('heading', { name: '活动效果' }).waitFor();
    await expect(admin.page.getByText('离开此页？').count()).resolves.toBe(0);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('after the session expires, signing in again returns to the page the user was on', async () => {
    const id = await draft('存款送好礼');
    const context = await expiredSessionContext(stack.browser);
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/#/content/activities/${id}?tab=history`);
    await page.getByText('登录已过期').waitFor();
    await page.getByRole('button', { name: '重新登录' }).click();
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /存款送好礼/ }).waitFor();
    expect(page.url()).toContain(`/content/activities/${id}?tab=history`);
    await context.close();
  });

  test('a reason left empty is pointed out under its box, with no script error; with a reason the action goes through', async () => {
    const id = await publishActivity(bff, { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }, activityInput(bff, { title: '年末存款回馈' }));
    const admin = await signIn('admin');
    await openDocument(admin.page, id);
    await admin.page.getByRole('button', { name: '下线' }).click();
    const dialog = admin.page.getByRole('dialog').filter({ hasText: '确认下线该活动' });
    await dialog.getByRole('button', { name: '确认下线' }).click();
    await dialog.getByRole('alert').filter({ hasText: '请填写原因' }).waitFor();
    await consoleShot(admin.page, 'reason-missing');
    expect(admin.errors).toEqual([]);
    await dialog.getByPlaceholder('下线原因（必填，将记入操作留痕）').fill('活动提前结束');
    await expect(dialog.getByText('请填写原因').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: '确认下线' }).click();
    await admin.page.locator('.ant-message').getByText('已下线').waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a live draw shows its prizes, odds and rules locked with the reason, and the rest can still be changed and saved', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const prizes = [
      { code: 'P50', name: '50 积分', kind: 'points', points: 50, valueYuan: 0.5, weight: 300, quantity: 40 },
      { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 700 },
    ];
    const id = await publishActivity(bff, tokens, drawInput(bff, { prizes }, { title: '新春幸运抽奖' }));
    const admin = await signIn('admin');
    await openDocument(admin.page, id);
    await admin.page.getByText('奖品、概率与活动规则已锁定').waitFor();
    const settings = admin.page
      .locator('form .ant-card')
      .filter({ has: admin.page.locator('.ant-card-head-title', { hasText: /^玩法设置$/ }) })
      .first();
    const fields = settings.locator('input, textarea');
    expect(await fields.count()).toBeGreaterThan(4);
    await expect(fields.evaluateAll((els) => els.filter((el) => !(el as HTMLInputElement).disabled && !(el as HTMLInputElement).readOnly).length)).resolves.toBe(0);
    await expect(settings.getByRole('button', { name: /添加/ }).first().isDisabled()).resolves.toBe(true);
    await expect(admin.page.getByLabel('活动规则').isEditable()).resolves.toBe(false);
    await admin.page.getByLabel('标题').fill('新春幸运抽奖（加场）');
    await admin.page.getByRole('button', { name: '保存草稿' }).click();
    await admin.page.getByText('已保存为草稿').waitFor();
    expect((await bff.call('getActivity', { params: { id } }, { token: tokens.admin })).body.working).toMatchObject({ title: '新春幸运抽奖（加场）' });
    await consoleShot(admin.page, 'draw-locked');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a points check that looked at no account is not called 通过', async () => {
    const admin = await signIn('admin');
    // Nothing changed since the last pass: the BFF checked no account and no budget.
    await admin.page.route(/\/api\/v1\/admin\/invariants/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ checked: { customers: 0, activities: 0 }, upToDate: true, violations: [] }) }),
    );
    await admin.page.goto(`${consoleUrl}/#/operations`);
    await admin.page.getByRole('tab', { name: '账实核对' }).click();
    const books = admin.page.locator('.ant-card').filter({ hasText: '积分与预算' });
    await books.getByText(/^没有可核对的数据/).waitFor();
    await expect(books.getByText(/核对通过/).count()).resolves.toBe(0);
    await consoleShot(admin.page, 'points-books-nothing');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});
