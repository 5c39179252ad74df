import { firstLoadBytes } from '../../scripts/lib/console-build';
import { letteredOptions } from '../../shared/contracts/quiz-bank';
import { beijingTime } from '../../console/src/format';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { percent } from '../../shared/analytics-tables';
import { activityInput, analyticsWhen, reachedWithControlGroup, signIn as customerSignIn } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import type { TestBff } from '../helpers/bff';
import { categoryInput, givePoints, itemInput, publishEntry, redeem } from '../helpers/mall';
import { consoleShot, expiredSessionContext, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { staffToken } from '../helpers/seed';

let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;

beforeAll(async () => {
  stack = await startConsole('e2econsole');
  ({ bff, consoleUrl } = stack);
}, 240_000);
afterAll(() => stack?.stop());

const shot = consoleShot;
const signIn = (username: string, viewport?: { width: number; height: number }) => signInToConsole(stack.browser, consoleUrl, username, viewport);
/** How many pixels a chart's canvas has painted. */
const ink = (page: Page, chart: string) =>
  page.locator(`[data-chart="${chart}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let p = 3; p < data.length; p += 4) if (data[p] > 0) painted += 1;
    return painted;
  });
const jsonFile = (name: string, rows: unknown[]) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });

describe('the admin console', () => {
  test('an upload with a bad row is reported, fixed and submitted; another person approves it; customers see it; its results are drawn from real events', async () => {
    const title = '冬季理财直播预约';
    const good = activityInput(bff, { code: 'CONSOLE-LIVE-1', title, orgUnitId: 'org-sh' });
    const second = activityInput(bff, { code: 'CONSOLE-LIVE-2', title: '年终直播第二场', orgUnitId: 'org-sh' });

    const admin = await signIn('admin');
    await admin.page.getByRole('heading', { name: '活动管理' }).waitFor();
    await admin.page.getByRole('button', { name: '批量上传' }).click();
    await admin.page.setInputFiles('.ant-modal input[type=file]', jsonFile('activities.json', [good, { ...second, title: '' }]));
    await admin.page.getByText('发现 1 行有误，整批未保存').waitFor();
    const badRows = admin.page.getByRole('table', { name: '有误的行' });
    await expect(badRows.innerText()).resolves.toMatch(/第 2 行[\s\S]*标题/);
    await shot(admin.page, 'bulk-errors');
    // Nothing was saved by the check.
    expect((await bff.call('listActivities', { query: { q: 'CONSOLE-LIVE', pageSize: '200' } }, { token: await staffToken(bff, 'admin') })).body.total).toBe(0);

    await admin.page.setInputFiles('.ant-modal input[type=file]', jsonFile('activities-fixed.json', [good, second]));
    await admin.page.getByText('校验通过：将新建 2').waitFor();
    await admin.page.getByRole('button', { name: /确认上传/ }).click();
    await admin.page.getByText('已保存为草稿：新建 2').waitFor();
    await admin.page.getByRole('button', { name: '完成' }).click();

    await admin.page.getByRole('link', { name: 'CONSOLE-LIVE-1' }).click();
    await admin.page.getByRole('tab', { name: '内容' }).waitFor();
    await expect(admin.page.getByLabel('标题').inputValue()).resolves.toBe(title);
    await admin.page.getByRole('button', { name: '提交审核' }).click();
    await admin.page.getByText('已提交消保审核').waitFor();
    await admin.page.getByText('审核中：审核完成前不能修改。').waitFor();
    await shot(admin.page, 'activity');
    // The maker sees the pending revision without an approve button.
    const id = admin.page.url().split('/').pop()!;
    await admin.page.goto(`${consoleUrl}/#/review/activities/${id}`);
    await admin.page.getByText('这是您本人编写或提交的修改').waitFor();
    await expect(admin.page.getByRole('button', { name: '审核通过' }).count()).resolves.toBe(0);

    const reviewer = await signIn('reviewer');
    await reviewer.page.getByRole('heading', { name: '消保审核' }).waitFor();
    const row = reviewer.page.getByRole('row').filter({ hasText: 'CONSOLE-LIVE-1' });
    await row.getByRole('link', { name: '审核' }).click();
    await reviewer.page.getByText('全部内容（新建）').waitFor();
    await expect(reviewer.page.getByRole('cell', { name: title }).count()).resolves.toBeGreaterThan(0);
    await shot(reviewer.page, 'review');
    await reviewer.page.getByRole('button', { name: '审核通过' }).click();
    await reviewer.page.getByPlaceholder('审核意见（选填）').fill('文案合规');
    await reviewer.page.getByRole('button', { name: '确认通过' }).click();
    await reviewer.page.getByText('审核通过', { exact: true }).first().waitFor();
    await reviewer.page.getByRole('heading', { name: '消保审核' }).waitFor();

    // On a customer's 首页 in the H5 mini-program.
    const phone = await stack.open('o_demo_customer_01', '/pages/index/index');
    const card = phone.getByTestId('activity-card').filter({ hasText: title });
    await card.waitFor();
    await card.click();
    await phone.getByTestId('activity-title').filter({ hasText: title }).waitFor();

    // The tracker sends its batch within seconds; the figures come from those stored events.
    const adminToken = await staffToken(bff, 'admin');
    let impressions = 0;
    for (let i = 0; i < 60 && impressions === 0; i += 1) {
      impressions = (await bff.call('getActivityAnalytics', { params: { id }, query: {} }, { token: adminToken })).body.funnel[0].customers;
      if (impressions === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(impressions).toBe(1);
    await admin.page.goto(`${consoleUrl}/#/results/${id}`);
    const detail = admin.page.getByRole('table', { name: '转化漏斗明细' });
    await detail.getByRole('row').filter({ hasText: '曝光' }).filter({ hasText: '1' }).waitFor();
    await expect(detail.getByRole('row').filter({ hasText: '点击' }).innerText()).resolves.toContain('1');
    for (const chart of ['转化漏斗', '每日趋势', '对照实验']) {
      // Beside every chart, a table of its figures under Chinese headers with their units.
      const table = admin.page.getByRole('table', { name: `${chart}明细` });
      await expect(table.getByRole('columnheader').allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/（(人|%)）/)]));
      await expect(ink(admin.page, chart)).resolves.toBeGreaterThan(100);
    }
    await admin.page.getByText('预算消耗').waitFor();
    // Its control group is 0%: no comparison is made, and the page says why instead of drawing 0 / 0 and an interval.
    await admin.page.getByRole('alert').filter({ hasText: '未设对照组：活动未设置对照比例（0%）' }).waitFor();
    await expect(admin.page.getByRole('table', { name: '对照实验明细' }).getByRole('row').filter({ hasText: '对照组' }).innerText()).resolves.toContain('未设对照组');
    await expect(admin.page.getByText('95% 置信区间').count()).resolves.toBe(0);
    await expect(admin.page.locator('[data-chart="转化率差"]').count()).resolves.toBe(0);
    await shot(admin.page, 'results');

    // The audit trail names who approved it, and leads to the revision history with its diffs.
    await admin.page.goto(`${consoleUrl}/#/operations`);
    const approval = admin.page.getByRole('row').filter({ hasText: '活动 · 审核通过' }).filter({ hasText: '（审核员）' }).first();
    await approval.waitFor();
    await shot(admin.page, 'audit');
    await approval.getByRole('link', { name: /查看变更/ }).click();
    await admin.page.getByText('审核通过 · v1').waitFor();
    await admin.page.getByText('原因：文案合规').waitFor();
    await shot(admin.page, 'history');
    expect([...admin.errors, ...reviewer.errors]).toEqual([]);
    await admin.context.close();
    await reviewer.context.close();
  });

  test('with a control group, the 活动效果 page draws the difference with its 95% interval and prints both in the table beside it', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    // Forty customers open the app (which assigns them); those shown the activity see its card.
    const { id, customers } = await reachedWithControlGroup(bff, tokens, activityInput(bff, { code: 'CONSOLE-CONTROL-1', title: '理财体验周' }), 40);
    // Later, every other one buys.
    for (const c of customers.filter((_, i) => i % 2 === 0)) {
      const body = {
        eventId: `buy-${randomUUID()}`,
        kind: 'product_bought',
        occurredAt: bff.clock.now().toISOString(),
        customerId: c.id,
        productCode: 'WM-001',
        amountYuan: 10000,
      };
      expect((await bankRequest(bff, '/bank/conversions', body)).status).toBe(200);
    }
    const { experiment } = await analyticsWhen(bff, tokens.admin, id, (a) => a.experiment.assigned.converted + (a.experiment.control?.converted ?? 0) === 20);
    const { control, ci95, difference } = experiment;
    if (!control || !ci95 || difference === null) throw new Error(`no comparison: ${JSON.stringify(experiment)}`);
    expect(experiment.assigned.customers + control.customers).toBe(40);
    expect(experiment.assigned.converted + control.converted).toBe(20);

    const session = await signIn('admin');
    const { page } = session;
    await page.goto(`${consoleUrl}/#/results/${id}`);
    const differenceTable = page.getByRole('table', { name: '转化率差明细' });
    const row = differenceTable.getByRole('row').filter({ hasText: '实验组（已分组，含未触达） − 对照组' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells).toEqual([
      '实验组（已分组，含未触达） − 对照组',
      String(percent(difference)),
      String(percent(ci95.low)),
      String(percent(ci95.high)),
      experiment.significant ? '显著' : '不显著',
    ]);
    await expect(ink(page, '转化率差')).resolves.toBeGreaterThan(100);
    const controlRow = page
      .getByRole('table', { name: '对照实验明细' })
      .getByRole('row')
      .filter({ hasText: /^对照组/ });
    await expect(controlRow.getByRole('cell').allInnerTexts()).resolves.toEqual(['对照组', String(control.customers), String(control.converted), String(percent(control.rate))]);
    await expect(page.getByText('未设对照组').count()).resolves.toBe(0);
    await shot(page, 'results-control');
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  test('every section opens for an admin with its loading, data or empty state, and no script error', async () => {
    const admin = await signIn('admin');
    const sections: [string, string][] = [
      ['/content/mall', '商品管理'],
      ['/content/livestreams', '直播管理'],
      ['/review', '消保审核'],
      ['/results', '活动效果'],
      ['/customers', '客户服务'],
      ['/mall', '商城运营'],
      ['/operations', '运行监控'],
    ];
    for (const [route, heading] of sections) {
      await admin.page.goto(`${consoleUrl}/#${route}`);
      await admin.page.getByRole('heading', { name: heading }).waitFor();
      await admin.page.waitForLoadState('networkidle');
      await expect(admin.page.getByText('加载失败').count()).resolves.toBe(0);
      await shot(admin.page, `section-${route.slice(1).replace(/\//g, '-')}`);
    }
    await admin.page.goto(`${consoleUrl}/#/customers`);
    await admin.page.getByPlaceholder('手机号、客户号或昵称').fill('cust-demo-1');
    await admin.page.getByRole('button', { name: '查询' }).click();
    await admin.page.getByText('客户资料（已脱敏）').waitFor();
    await admin.page.getByText('138****5678').waitFor();
    await expect(admin.page.getByText('13812345678').count()).resolves.toBe(0);
    await shot(admin.page, 'customer');
    // A CSV of tags: a bad cell is named by its record and column, and nothing of the file is applied.
    await admin.page.getByRole('tab', { name: '标签与名单上传' }).click();
    const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await admin.page.setInputFiles('input[type=file]', csv('tags-bad.csv', 'customerId,tier,tags\ncust-demo-1,V3,控制台标签\ncust-demo-2,V9,\n'));
    await admin.page.getByText(/第 2 条（tier）/).waitFor();
    expect((await bff.db.collection('customer_tags').findOne({ _id: 'cust-demo-1' as never }))?.tags ?? []).not.toContain('控制台标签');
    await admin.page.setInputFiles('input[type=file]', csv('tags.csv', 'customerId,tier,tags\ncust-demo-1,V3,控制台标签|理财偏好\nno-such-customer,V1,\n'));
    // First what the file would change, nothing saved; then the upload, once confirmed.
    await admin.page.getByText('将更新 1').waitFor();
    expect((await bff.db.collection('customer_tags').findOne({ _id: 'cust-demo-1' as never }))?.tags ?? []).not.toContain('控制台标签');
    await admin.page.getByRole('button', { name: '确认更新 1 位客户' }).click();
    await admin.page.getByText('已更新 1').waitFor();
    await admin.page.getByText('未找到客户 1').waitFor();
    // Counted as the person who made the file counts: the second record.
    await admin.page.getByRole('cell', { name: '第 2 条' }).waitFor();
    expect(await bff.db.collection('customer_tags').findOne({ _id: 'cust-demo-1' as never })).toMatchObject({ tier: 'V3', tags: ['控制台标签', '理财偏好'] });
    await shot(admin.page, 'customer-tags');
    await admin.page.goto(`${consoleUrl}/#/operations`);
    await admin.page.getByRole('tab', { name: '事件投递' }).click();
    await admin.page.getByRole('columnheader', { name: '待投递' }).waitFor();
    await shot(admin.page, 'delivery');
    // Background work by its business name, with its name in the books beneath (what the logs use).
    await bff.app.services.maintenance.runOnce();
    await admin.page.getByRole('tab', { name: '后台任务' }).click();
    await admin.page.getByRole('cell', { name: /商城订单补完\s*mall\.orders/ }).waitFor();
    await shot(admin.page, 'jobs');
    await admin.page.goto(`${consoleUrl}/#/content/activities/new`);
    // A form from the shared schema: choosing a type brings its own fields.
    await admin.page.getByLabel('类型').click();
    await admin.page.getByTitle('抽奖').click();
    await admin.page.getByText('奖品', { exact: true }).first().waitFor();
    await admin.page.getByRole('button', { name: '保存草稿' }).click();
    // Checked in the browser against the same schema the BFF uses: the fields are named.
    await admin.page.getByText('请修正以下问题').waitFor();
    await expect(admin.page.getByText(/编码：/).count()).resolves.toBeGreaterThan(0);
    await shot(admin.page, 'activity-new');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a question’s right answer follows its option: removing and moving options leaves it, and the reviewer sees it by its text; ticking another shows the change', async () => {
    const [RIGHT, WRONG] = ['挂断并拨打110核实', '告诉对方验证码'];
    const [adminToken, reviewerToken] = [await staffToken(bff, 'admin'), await staffToken(bff, 'reviewer')];
    const created = await bff.call(
      'createQuizQuestion',
      {
        body: {
          code: 'CONSOLE-Q-1',
          type: 'question',
          orgUnitId: 'org-hq',
          bank: 'CONSOLE',
          format: 'single',
          text: '陌生来电自称客服，要求提供验证码，应该怎么做？',
          options: letteredOptions(['回拨对方号码', RIGHT, WRONG]),
          answer: ['B'],
          explanation: '验证码只属于您自己。',
        },
      },
      { token: adminToken },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const approve = async () => {
      expect((await bff.call('approveQuizQuestion', { params: { id }, body: {} }, { token: reviewerToken })).status).toBe(200);
    };
    await bff.call('submitQuizQuestion', { params: { id } }, { token: adminToken });
    await approve();

    const admin = await signIn('admin');
    const edit = async (change: () => Promise<void>) => {
      await admin.page.goto(`${consoleUrl}/#/content/questions/${id}`);
      // The second time the address is the same: reloaded, the page reads the question as approved since.
      await admin.page.reload();
      await admin.page.getByTestId('right-answer').waitFor();
      await change();
      await admin.page.getByRole('button', { name: '保存草稿' }).click();
      await admin.page.getByText('已保存为草稿').waitFor();
      await admin.page.getByRole('button', { name: '提交审核' }).click();
      await admin.page.getByText('已提交消保审核').waitFor();
    };
    await edit(async () => {
      await expect(admin.page.getByTestId('right-answer').innerText()).resolves.toBe(`正确答案：B. ${RIGHT}`);
      await admin.page.getByRole('button', { name: '删除选项 A' }).click();
      await admin.page.getByRole('button', { name: '下移选项 A' }).click();
      await expect(admin.page.getByLabel('选项 A', { exact: true }).inputValue()).resolves.toBe(WRONG);
      await expect(admin.page.getByTestId('right-answer').innerText()).resolves.toBe(`正确答案：B. ${RIGHT}`);
      await shot(admin.page, 'question-options');
    });

    const reviewer = await signIn('reviewer');
    const diffRow = (field: string) => reviewer.page.getByRole('row').filter({ has: reviewer.page.getByRole('cell', { name: field, exact: true }) });
    await reviewer.page.goto(`${consoleUrl}/#/review/questions/${id}`);
    await reviewer.page.getByText('与已通过版本的差异').waitFor();
    const options = await diffRow('选项').innerText();
    expect(options).toContain(`A. 回拨对方号码；B. ${RIGHT}（正确答案）；C. ${WRONG}`);
    expect(options).toContain(`A. ${WRONG}；B. ${RIGHT}（正确答案）`);
    // The right answer did not change, so it is no change to approve.
    await expect(diffRow('正确答案').count()).resolves.toBe(0);
    await shot(reviewer.page, 'question-review');
    await approve();

    await edit(() => admin.page.getByRole('radio', { name: `正确答案：A. ${WRONG}` }).check());
    await reviewer.page.reload();
    await reviewer.page.getByText('与已通过版本的差异').waitFor();
    const answer = diffRow('正确答案');
    await answer.waitFor();
    await expect(answer.getByRole('cell').nth(1).innerText()).resolves.toBe(RIGHT);
    await expect(answer.getByRole('cell').nth(2).innerText()).resolves.toBe(WRONG);
    await shot(reviewer.page, 'question-review-answer');
    expect([...admin.errors, ...reviewer.errors]).toEqual([]);
    await admin.context.close();
    await reviewer.context.close();
  });

  test('a branch admin cannot open another branch’s activity by its URL', async () => {
    const admin = await staffToken(bff, 'admin');
    const created = await bff.request('POST', '/api/v1/admin/activities', {
      token: admin,
      body: activityInput(bff, { code: 'CONSOLE-GZ-1', title: '广州分行专属活动', orgUnitId: 'org-gz' }),
    });
    expect(created.status).toBe(201);
    const branch = await signIn('admin-sh');
    await branch.page.goto(`${consoleUrl}/#/content/activities/${created.body.id}`);
    await branch.page.getByText('内容不存在，或不在您所在机构的管辖范围内').waitFor();
    await expect(branch.page.getByText('广州分行专属活动').count()).resolves.toBe(0);
    await branch.page.goto(`${consoleUrl}/#/content/activities`);
    await branch.page.getByRole('heading', { name: '活动管理' }).waitFor();
    await branch.page.waitForLoadState('networkidle');
    await expect(branch.page.getByRole('link', { name: 'CONSOLE-GZ-1' }).count()).resolves.toBe(0);
    await branch.context.close();
  });

  test('an rm sees no admin menu and is refused the admin pages', async () => {
    const rm = await signIn('rm');
    await rm.page.getByText('管理台仅对管理员与审核员开放').waitFor();
    await expect(rm.page.getByRole('menu').count()).resolves.toBe(0);
    await rm.page.goto(`${consoleUrl}/#/operations`);
    await rm.page.getByText('403 无权访问').waitFor();
    await shot(rm.page, 'rm-forbidden');
    await rm.context.close();
  });

  test('the mall books say 核对通过 only once every page is checked; a page that fails leaves 核对未完成 and the check goes on from there', async () => {
    // Something to check: a check that looked at nothing is no pass.
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    await publishEntry(bff, tokens, categoryInput('CAT-BOOKS', '账实核对专区'));
    await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', categoryCode: 'CAT-BOOKS', initialStock: 3, fulfilment: { instructions: '到店出示' } }));
    const admin = await signIn('admin');
    // Every page after the first fails, as a check timing out part-way would.
    await admin.page.route(/\/admin\/mall\/invariants\?.*cursor=/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: '服务繁忙，请稍后重试', requestId: 'e2e-books' }),
      }),
    );
    await admin.page.goto(`${consoleUrl}/#/operations`);
    await admin.page.getByRole('tab', { name: '账实核对' }).click();
    const books = admin.page.locator('.ant-card').filter({ hasText: '商城库存与券码' });
    await books.getByText(/^核对未完成：已核对订单 \d+ \/ 共 \d+ 笔，商品 \d+ \/ 共 \d+ 个时出错/).waitFor();
    await books.getByText('服务繁忙，请稍后重试（请求编号 e2e-books）').waitFor();
    await expect(books.getByText(/核对通过/).count()).resolves.toBe(0);
    await shot(admin.page, 'books-partial');
    await admin.page.unroute(/\/admin\/mall\/invariants\?.*cursor=/);
    await books.getByRole('button', { name: '继续核对' }).click();
    await books.getByText(/^核对通过，未发现不一致（共核对订单 \d+ 笔、商品 [1-9]\d* 个）$/).waitFor();
    await expect(books.getByText(/核对未完成/).count()).resolves.toBe(0);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('an admin does not get an approve button on their own request; a second admin does', async () => {
    const maker = await staffToken(bff, 'admin');
    const requested = await bff.call(
      'createStaff',
      { body: { username: 'new.reviewer', password: 'Strong@Pass2026', role: 'reviewer', orgUnitId: 'org-sh', name: '周审核' } },
      { token: maker },
    );
    expect(requested.status).toBe(202);
    const own = await signIn('admin');
    await own.page.goto(`${consoleUrl}/#/review`);
    await own.page.getByRole('tab', { name: '员工账号与权限' }).click();
    const ownRow = own.page.getByRole('row').filter({ hasText: 'new.reviewer' });
    await ownRow.getByText('本人申请，须由他人审批').waitFor();
    await expect(ownRow.getByRole('button', { name: '通过' }).count()).resolves.toBe(0);
    // The BFF refuses it too, whatever the page shows.
    expect((await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: maker })).status).toBeGreaterThanOrEqual(400);

    const checker = await signIn('admin2');
    await checker.page.goto(`${consoleUrl}/#/review`);
    await checker.page.getByRole('tab', { name: '员工账号与权限' }).click();
    const row = checker.page.getByRole('row').filter({ hasText: 'new.reviewer' });
    await row.getByRole('button', { name: '通过' }).click();
    await checker.page.getByRole('button', { name: '通过' }).last().click();
    await checker.page.getByText('已通过').waitFor();
    await expect((await bff.call('listStaff', {}, { token: maker })).body.items.map((s: { username: string }) => s.username)).toContain('new.reviewer');
    await own.context.close();
    await checker.context.close();
  });

  test('a session that can no longer be renewed shows the expired page, then sign-in again', async () => {
    const context = await expiredSessionContext(stack.browser);
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/#/content/activities`);
    await page.getByText('登录已过期').waitFor();
    await page.getByRole('button', { name: '重新登录' }).click();
    await page.getByLabel('用户名').waitFor();
    await context.close();
  });

  test('an admin finds a physical order by its 订单编号, ships it to the full address with a picked carrier, and the shipped list shows carrier, tracking and order time (issue 30)', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    await publishEntry(bff, tokens, categoryInput());
    const itemId = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', title: '控制台保温杯', pricePoints: 300, initialStock: 5, fulfilment: {} }));
    const buyer = await customerSignIn(bff, 'o_demo_customer_01');
    await givePoints(bff, buyer.id, 300);
    const address = (
      await bff.call('addMyAddress', { body: { name: '周九', phone: '13600001234', region: '上海市 浦东新区', detail: '世纪大道 100 号 8 楼' } }, { token: buyer.token })
    ).body;
    const order = (await redeem(bff.url, buyer.token, { itemId, addressId: address.id })).body;
    const orderTime = beijingTime(order.createdAt);

    // A laptop screen: the 发货 dialog must open where it can be seen.
    const admin = await signIn('admin', { width: 1280, height: 720 });
    await admin.page.goto(`${consoleUrl}/#/mall`);
    await admin.page.getByRole('heading', { name: '商城运营' }).waitFor();
    await admin.page.getByLabel('搜索订单').fill(order.orderNo);
    await admin.page.getByLabel('搜索订单').press('Enter');
    await admin.page.getByText('共 1 单').waitFor();
    const row = admin.page.locator('.ant-table-row').filter({ hasText: order.orderNo });
    for (const text of ['周九 13600001234', '上海市 浦东新区 世纪大道 100 号 8 楼', orderTime, '控制台保温杯', '300 积分', '待发货']) await row.getByText(text).first().waitFor();
    await row.getByRole('button', { name: '发货' }).click();
    const dialog = admin.page.getByRole('dialog').filter({ hasText: '发货：控制台保温杯' });
    await dialog.waitFor();
    // Its title and its confirm button are both on screen without scrolling.
    const top = (await dialog.getByText('发货：控制台保温杯').boundingBox())!;
    const bottom = (await dialog.getByRole('button', { name: '确认发货' }).boundingBox())!;
    expect(top.y).toBeGreaterThanOrEqual(0);
    expect(bottom.y + bottom.height).toBeLessThanOrEqual(720);
    await dialog.getByText('世纪大道 100 号 8 楼').waitFor();
    await dialog.getByRole('button', { name: '确认发货' }).click();
    await dialog.getByText('请选择快递公司').waitFor();
    await dialog.getByLabel('快递公司').click();
    await admin.page.getByTitle('顺丰速运').click();
    await dialog.getByLabel('运单号').fill('SF 12');
    await dialog.getByRole('button', { name: '确认发货' }).click();
    await dialog.getByText('运单号为 6-40 位字母、数字或横线').waitFor();
    await dialog.getByLabel('运单号').fill('SF1234567890');
    await dialog.getByRole('button', { name: '确认发货' }).click();
    await admin.page.getByText('已发货', { exact: true }).first().waitFor();
    await dialog.waitFor({ state: 'detached' });

    await admin.page.getByLabel('订单状态').click();
    await admin.page.getByTitle('已发货').click();
    const shipped = admin.page.locator('.ant-table-row').filter({ hasText: order.orderNo });
    await shipped.getByText('顺丰速运 SF1234567890').waitFor();
    await shipped.getByRole('cell', { name: orderTime, exact: true }).waitFor();
    await shipped.getByText('已发货').first().waitFor();
    await shot(admin.page, 'mall-shipped');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a customer is found by phone and by 客户号, masked; a branch admin cannot find one outside their subtree (issue 30)', async () => {
    const admin = await signIn('admin');
    await admin.page.goto(`${consoleUrl}/#/customers`);
    const search = admin.page.getByPlaceholder('手机号、客户号或昵称');
    for (const q of ['13812345678', 'C000000000001']) {
      await search.fill(q);
      await search.press('Enter');
      const profile = admin.page.locator('.ant-card').filter({ hasText: '客户资料（已脱敏）' });
      await profile.getByText('C000000000001').waitFor();
      await profile.getByText('138****5678').waitFor();
      await expect(admin.page.getByText('张三').count()).resolves.toBe(0);
    }
    await shot(admin.page, 'customer-by-phone');
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    const branch = await signIn('admin-sh');
    await branch.page.goto(`${consoleUrl}/#/customers`);
    // 李小梅 is a Guangzhou customer.
    await branch.page.getByPlaceholder('手机号、客户号或昵称').fill('13998765432');
    await branch.page.getByPlaceholder('手机号、客户号或昵称').press('Enter');
    await branch.page.getByText('没有按手机号找到本机构及下级机构的客户').waitFor();
    await expect(branch.page.getByText('客户资料（已脱敏）').count()).resolves.toBe(0);
    await branch.context.close();
  });

  test('the JS for the first page stays under 500 KB gzipped; the sections load as their own chunks', () => {
    const { files, gzipBytes } = firstLoadBytes();
    expect(gzipBytes).toBeLessThan(500 * 1024);
    // Charts, forms and tables are not in the first load: each section is split off.
    expect(files.filter((f) => /Results|ContentEdit|ContentList|Operations|Mall|Customers|Review/.test(f))).toEqual([]);
    console.log(`console first load: ${(gzipBytes / 1024).toFixed(1)} KB gzipped in ${files.length} file(s)`);
  });
});
