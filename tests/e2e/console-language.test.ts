import type { Page } from 'playwright-core';
import { activityInput, reachedWithControlGroup } from '../helpers/activities';
import { signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { staffToken } from '../helpers/seed';

let stack: ConsoleStack;
let consoleUrl: string;

beforeAll(async () => {
  stack = await startConsole('e2econsolelang');
  ({ consoleUrl } = stack);
  // An approved activity with figures in every table of 活动效果, its comparison included.
  const tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
  await reachedWithControlGroup(stack.bff, tokens, activityInput(stack.bff), 12);
}, 240_000);
afterAll(() => stack?.stop());

/** What an operations person must never have to read: an English enum value, a raw literal, an internal UUID. */
// The issue's pattern, and the ids of staff accounts and units (people and units are shown by name).
const NOT_BUSINESS_LANGUAGE = /[a-z]+_[a-z]+|\b(true|false|null|undefined)\b|[0-9a-f]{8}-[0-9a-f]{4}|\b(staff|org)-[a-z]/;

const signIn = (username: string) => signInToConsole(stack.browser, consoleUrl, username);

/** Every line of visible text that is not business language, with where it was seen. */
async function foreignLines(page: Page, where: string): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return text
    .split('\n')
    .filter((line) => NOT_BUSINESS_LANGUAGE.test(line))
    .map((line) => `${where}: ${line.trim().slice(0, 160)}`);
}

const settle = async (page: Page) => {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
};

/** An address opened as a new page load: a change of the hash alone would keep what the previous page held. */
async function open(page: Page, route: string) {
  await page.goto(`${consoleUrl}/#${route}`);
  await page.reload();
  await settle(page);
}

/** Opens every enabled select on the page in turn, and collects what its dropdown offers. */
async function dropdownLines(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  const selects = page.locator('form .ant-select:not(.ant-select-disabled)');
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const count = await selects.count();
  for (let i = 0; i < count; i += 1) {
    const select = selects.nth(i);
    if (!(await select.isVisible())) continue;
    await select.scrollIntoViewIfNeeded();
    await select.click();
    // Read in one step: a dropdown can close between finding it and reading it.
    const shown = await open
      .first()
      .waitFor({ state: 'visible', timeout: 3_000 })
      .then(
        () => open.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).innerText).join('\n')),
        () => '',
      );
    found.push(
      ...shown
        .split('\n')
        .filter((line) => NOT_BUSINESS_LANGUAGE.test(line))
        .map((line) => `${where} 下拉选项: ${line.trim()}`),
    );
    await page.keyboard.press('Escape');
    // The next select's dropdown is told apart from this one only once this one has finished closing.
    await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'), null, { timeout: 3_000 }).catch(() => undefined);
  }
  return found;
}

/** The form of a new document of this kind, once per value of its type (each type brings its own fields), with one item of every list added. */
async function crawlNewForm(page: Page, kind: string): Promise<string[]> {
  const found: string[] = [];
  await open(page, `/content/${kind}/new`);
  await page.getByRole('button', { name: '保存草稿' }).waitFor();
  const typeSelect = page.locator('form .ant-select').first();
  const typed = (await page.getByLabel('类型', { exact: true }).count()) > 0 && !(await typeSelect.locator('.ant-select-disabled').count());
  const types: string[] = [];
  if (typed) {
    await page.getByLabel('类型', { exact: true }).click();
    types.push(...(await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts()));
    await page.keyboard.press('Escape');
  }
  for (const type of types.length ? types : ['']) {
    if (type) {
      await page.getByLabel('类型', { exact: true }).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(type, { exact: true }).click();
    }
    const where = `/content/${kind}/new${type ? `（${type}）` : ''}`;
    for (const add of await page.getByRole('button', { name: /^添加/ }).all()) if (await add.isVisible()) await add.click();
    found.push(...(await dropdownLines(page, where)));
    // What checking the empty form says is part of what the editor reads.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('请修正以下问题').waitFor();
    found.push(...(await foreignLines(page, where)));
  }
  return found;
}

/** Each tab of the page, as the user opens them (by its key: a tab's name may carry a count, and some sit in the overflow menu). */
async function crawlTabs(page: Page, where: string): Promise<string[]> {
  const found = await foreignLines(page, where);
  const nav = page.locator('.ant-tabs-nav').first();
  if (!(await nav.count())) return found;
  const keys = await nav.locator('.ant-tabs-tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-node-key') ?? ''));
  for (const key of keys.slice(1)) {
    const tab = nav.locator(`.ant-tabs-tab[data-node-key="${key}"] .ant-tabs-tab-btn`);
    if (await tab.count()) await tab.dispatchEvent('click');
    else if (await nav.locator('.ant-tabs-nav-more').count()) {
      await nav.locator('.ant-tabs-nav-more').hover();
      await page.locator(`.ant-tabs-dropdown [id$="-more-popup-${key}"]`).click();
    }
    await settle(page);
    found.push(...(await foreignLines(page, `${where} › ${key}`)));
  }
  return found;
}

const KIND_KEYS = ['activities', 'mall', 'questions', 'services', 'livestreams', 'triggers', 'coupons', 'rm-tasks', 'library', 'lead-rules', 'targets'];

describe('the console speaks business language', () => {
  test.each(['admin', 'admin2', 'reviewer', 'admin-sh', 'rm'])(
    'every page %s can open, its tabs, forms and dropdowns, shows no English enum, raw literal or internal id',
    async (username) => {
      const { page, context, errors } = await signIn(username);
      await settle(page);
      const found = await foreignLines(page, '首页');
      const menu = await page.getByRole('menu').count();
      if (menu) {
        const routes: string[] = [];
        for (const key of KIND_KEYS) routes.push(`/content/${key}`);
        routes.push('/review', '/results', '/customers', '/mall', '/operations', '/steering/cockpit', '/steering/tasks', '/steering/leads');
        for (const route of routes) {
          await open(page, route);
          if ((await page.getByText('403 无权访问').count()) > 0) continue;
          found.push(...(await crawlTabs(page, route)));
          // The first document of a list, as its editor (or reader) sees it.
          if (route.startsWith('/content/')) {
            const first = page.locator('.ant-table-row a').first();
            if (await first.count()) {
              await first.click();
              await page.getByRole('tab', { name: '内容' }).waitFor();
              await settle(page);
              found.push(...(await foreignLines(page, `${route}/<首个>`)));
              found.push(...(await dropdownLines(page, `${route}/<首个>`)));
              await page.getByRole('tab', { name: '版本记录' }).click();
              await settle(page);
              found.push(...(await foreignLines(page, `${route}/<首个> › 版本记录`)));
            }
          }
          // The first approved activity's results, picked in the page's activity select.
          if (route === '/results') {
            await page.locator('.ant-select').first().click();
            const first = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').first();
            if (
              await first.waitFor({ timeout: 5_000 }).then(
                () => true,
                () => false,
              )
            ) {
              await first.click();
              await page.getByRole('table', { name: '转化漏斗明细' }).waitFor();
              await settle(page);
              // A closing dropdown still holds its hidden accessibility list (the options' values) until it is gone.
              await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'), null, { timeout: 3_000 }).catch(() => undefined);
              found.push(...(await foreignLines(page, '/results/<首个>')));
            }
          }
          if (route === '/review') {
            const first = page.getByRole('link', { name: '审核' }).first();
            if (await first.count()) {
              await first.click();
              await settle(page);
              found.push(...(await foreignLines(page, '/review/<首个>')));
            }
          }
        }
        if ((await page.getByRole('button', { name: /^新建/ }).count()) > 0 || username.startsWith('admin')) {
          for (const key of KIND_KEYS) found.push(...(await crawlNewForm(page, key)));
        }
      }
      expect(found).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    600_000,
  );

  test('an empty required field says, in Chinese, what to type there', async () => {
    const { page, context } = await signIn('admin');
    await page.goto(`${consoleUrl}/#/content/activities/new`);
    await page.getByLabel('类型', { exact: true }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('答题', { exact: true }).click();
    await page.getByRole('button', { name: '保存草稿' }).click();
    const problems = page.getByRole('alert').filter({ hasText: '请修正以下问题' });
    await problems.waitFor();
    // Named by its label, with the length the field takes, on the list and under the field.
    await problems.getByText('标题：必填，请输入 1–40 个字').waitFor();
    await problems.getByText('活动时间 › 开始时间：必填，请选择日期和时间').waitFor();
    await problems.getByText('活动规则：必填，请输入 1–5000 个字').waitFor();
    await page.locator('.ant-form-item').filter({ hasText: '标题' }).first().getByText('必填，请输入 1–40 个字').waitFor();
    await expect(problems.innerText()).resolves.not.toMatch(/无效输入|期望|正则|[A-Za-z]{4,}/);
    await context.close();
  });

  test('a draw’s prizes show, in Chinese, the odds their weights make, as the weights are typed', async () => {
    const { page, context } = await signIn('admin');
    await page.goto(`${consoleUrl}/#/content/activities/new`);
    await page.getByLabel('类型', { exact: true }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('抽奖', { exact: true }).click();
    await page.getByRole('button', { name: '添加奖品' }).click();
    await page.getByRole('button', { name: '添加奖品' }).click();
    const odds = page.getByTestId('odds');
    await expect(odds.allInnerTexts()).resolves.toEqual(['中奖概率 —（请填写权重）', '中奖概率 —（请填写权重）']);
    await page.getByLabel('权重').nth(0).fill('1');
    await page.getByLabel('权重').nth(1).fill('3');
    await page.getByText('中奖概率 75%').waitFor();
    await expect(odds.allInnerTexts()).resolves.toEqual(['中奖概率 25%', '中奖概率 75%']);
    // Its kinds are named as the customer's prize list names them.
    await page.getByLabel('种类', { exact: true }).first().click();
    const offered = await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
    expect(offered).toEqual(['积分', '优惠券', '实物奖品', '商城好礼', '谢谢参与']);
    await context.close();
  });
});
