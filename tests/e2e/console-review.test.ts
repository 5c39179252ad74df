import { letteredOptions } from '../../shared/contracts/quiz-bank';
import type { TestBff } from '../helpers/bff';
import { drawInput } from '../helpers/draws';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { staffToken } from '../helpers/seed';

// Issue 30, finding 5: the reviewer decided on prizes shown as one JSON string, with no odds, no total value and no points at stake.
let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;
let admin: string;

beforeAll(async () => {
  stack = await startConsole('e2econsolereview');
  ({ bff, consoleUrl } = stack);
  admin = await staffToken(bff, 'admin');
}, 240_000);
afterAll(() => stack?.stop());

async function submitted(path: string, body: unknown, submit: string): Promise<string> {
  const created = await bff.request('POST', `/api/v1/admin/${path}`, { token: admin, body });
  expect(created.status).toBe(201);
  const res = await bff.call(submit as never, { params: { id: created.body.id } } as never, { token: admin });
  expect(res.status).toBe(200);
  return created.body.id;
}

describe('the reviewer sees what is at stake before deciding', () => {
  test('a new draw: total prize value, points at stake and each prize’s odds, in 元, 积分 and %; approving it puts it live', async () => {
    const id = await submitted('activities', drawInput(bff, {}, { title: '年终幸运九宫格' }), 'submitActivity');
    const reviewer = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
    const page = reviewer.page;
    await page.goto(`${consoleUrl}/#/review/activities/${id}`);
    const stakes = page.getByTestId('stakes');
    await stakes.waitFor();
    // 40 × ¥0.50 + 15 × ¥10 + 5 × ¥80; 40 prizes of 50 points.
    await expect(stakes.innerText()).resolves.toMatch(/奖品总价值\s*¥570\.00/);
    await expect(stakes.innerText()).resolves.toMatch(/积分支出上限\s*2,000 积分/);
    await expect(stakes.innerText()).resolves.toMatch(/对照组\s*未设对照组/);
    await expect(stakes.innerText()).resolves.toMatch(/目标客群\s*全部客户/);
    const row = (name: string) => stakes.locator('tr', { hasText: name }).innerText();
    await expect(row('50 积分')).resolves.toMatch(/30%[\s\S]*40 份[\s\S]*¥0\.50[\s\S]*¥20\.00/);
    await expect(row('保温杯')).resolves.toMatch(/10%[\s\S]*5 份[\s\S]*¥80\.00[\s\S]*¥400\.00/);
    await expect(row('谢谢参与')).resolves.toMatch(/40%[\s\S]*不限（兜底）/);
    // The content below reads as the form does: choices by their names, numbers with their units.
    const content = await page.locator('.ant-card', { hasText: '全部内容（新建）' }).innerText();
    expect(content).not.toMatch(/\b(everyone|draw|points|coupon|physical|none|true|false)\b/);
    expect(content).toMatch(/价值（元）\s*（无）\s*80 元/);
    await consoleShot(page, 'review-draw-stakes');

    await page.getByRole('button', { name: '审核通过' }).click();
    await page.getByRole('button', { name: '确认通过' }).click();
    await page.getByText('审核通过').first().waitFor();
    await page.waitForURL(/#\/review$/);
    const doc = (await bff.call('getActivity', { params: { id } }, { token: admin })).body;
    expect(doc.liveRevision).toBe(1);
    expect(reviewer.errors).toEqual([]);
    await reviewer.context.close();
  });

  test('an edited question: the diff names the right answer before and after in words, not option letters', async () => {
    const OLD = '挂断并拨打官方客服核实';
    const NEW = '不理会并拨打110报警';
    const question = {
      code: `REV-Q-${Date.now()}`,
      type: 'question',
      orgUnitId: 'org-hq',
      bank: 'REVIEWED',
      format: 'single',
      text: '陌生来电自称客服，要求提供验证码，应该怎么做？',
      options: letteredOptions(['告诉对方验证码', OLD, NEW]),
      answer: ['B'],
      explanation: '验证码只属于您自己。',
    };
    const id = await submitted('quiz/questions', question, 'submitQuizQuestion');
    expect((await bff.call('approveQuizQuestion', { params: { id }, body: {} }, { token: await staffToken(bff, 'reviewer') })).status).toBe(200);
    const edited = await bff.request('PUT', `/api/v1/admin/quiz/questions/${id}`, { token: admin, body: { ...question, answer: ['C'] } });
    expect(edited.status).toBe(200);
    expect((await bff.call('submitQuizQuestion', { params: { id } }, { token: admin })).status).toBe(200);

    const reviewer = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
    await reviewer.page.goto(`${consoleUrl}/#/review/questions/${id}`);
    await reviewer.page.locator('td', { hasText: /^正确答案$/ }).waitFor();
    const text = await reviewer.page
      .locator('tr')
      .filter({ has: reviewer.page.locator('td:first-child', { hasText: /^正确答案$/ }) })
      .innerText();
    expect(text).toContain(OLD);
    expect(text).toContain(NEW);
    expect(text.indexOf(OLD)).toBeLessThan(text.indexOf(NEW));
    expect(text).not.toMatch(/\b[ABC]\b/);
    // The revision history says the same in words (it keeps the change as option ids).
    await reviewer.page.goto(`${consoleUrl}/#/content/questions/${id}?tab=history`);
    await reviewer.page.reload();
    const history = reviewer.page.locator('tr').filter({ has: reviewer.page.locator('td:first-child', { hasText: /^正确答案/ }) });
    await history.first().waitFor();
    const changed = (await history.allInnerTexts()).join('\n');
    expect(changed).toContain(OLD);
    expect(changed).toContain(NEW);
    expect(reviewer.errors).toEqual([]);
    await reviewer.context.close();
  });
});

describe('a question bank uploaded as a file goes to review as one batch (issue 30, finding 12)', () => {
  test('a bad row is named and nothing saved; the fixed file is saved and every question submitted with one button; the reviewer approves the batch at once', async () => {
    const csv = (second: string) =>
      Buffer.from(
        [
          'code,type,orgUnitId,bank,format,text,options,answer,explanation',
          'BATCH-Q-1,question,org-hq,BATCH,single,陌生人索要验证码怎么办？,"[""告诉对方"",""拒绝并挂断""]",B,验证码只属于您自己。',
          second,
        ].join('\n'),
      );
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/questions`);
    await page.getByRole('button', { name: '批量上传' }).click();
    const file = page.locator('.ant-modal input[type=file]');
    await file.setInputFiles({
      name: '题库.csv',
      mimeType: 'text/csv',
      buffer: csv('BATCH-Q-2,question,org-hq,BATCH,single,网点工作人员会要您转账到安全账户吗？,"[""会"",""不会""]",C,银行不会要求转账到安全账户。'),
    });
    await page.getByText('发现 1 行有误，整批未保存').waitFor();
    await expect(page.getByRole('table', { name: '有误的行' }).innerText()).resolves.toMatch(/第 2 行[\s\S]*正确答案/);
    expect((await bff.call('listQuizQuestions', { query: { q: 'BATCH-Q', pageSize: '50' } }, { token: await staffToken(bff, 'admin') })).body.total).toBe(0);

    await file.setInputFiles({
      name: '题库-修正.csv',
      mimeType: 'text/csv',
      buffer: csv('BATCH-Q-2,question,org-hq,BATCH,single,网点工作人员会要您转账到安全账户吗？,"[""会"",""不会""]",B,银行不会要求转账到安全账户。'),
    });
    await page.getByText('校验通过：将新建 2').waitFor();
    await page.getByRole('button', { name: /确认上传/ }).click();
    await page.getByText('已保存为草稿：新建 2').waitFor();
    await page.getByRole('button', { name: '全部提交审核（2 条）' }).click();
    await page.getByText('已提交消保审核 2 条').waitFor();
    await consoleShot(page, 'bulk-submit-questions');
    const listed = (await bff.call('listQuizQuestions', { query: { q: 'BATCH-Q', pageSize: '50' } }, { token: await staffToken(bff, 'admin') })).body.items;
    expect(listed.map((d: { code: string; workingState: string }) => [d.code, d.workingState]).sort()).toEqual([
      ['BATCH-Q-1', 'pending_review'],
      ['BATCH-Q-2', 'pending_review'],
    ]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // The reviewer approves the batch in one go, after reading what is in it.
    const reviewer = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
    await reviewer.page.goto(`${consoleUrl}/#/review`);
    for (const code of ['BATCH-Q-1', 'BATCH-Q-2']) await reviewer.page.getByRole('row').filter({ hasText: code }).getByRole('checkbox').check();
    await reviewer.page.getByRole('button', { name: '批量通过（2 项）' }).click();
    const confirm = reviewer.page.locator('.ant-modal-confirm');
    await expect(confirm.innerText()).resolves.toMatch(/陌生人索要验证码怎么办？[\s\S]*网点工作人员会要您转账到安全账户吗？/);
    await confirm.getByRole('button', { name: '全部通过' }).click();
    await reviewer.page.getByText('已通过 2 项').waitFor();
    const approved = (await bff.call('listQuizQuestions', { query: { q: 'BATCH-Q', pageSize: '50' } }, { token: await staffToken(bff, 'admin') })).body.items;
    expect(approved.map((d: { liveRevision: number | null; workingState: string | null }) => [d.liveRevision, d.workingState])).toEqual([
      [1, null],
      [1, null],
    ]);
    expect(reviewer.errors).toEqual([]);
    await reviewer.context.close();
  });
});

describe('the audit trail is searched by person, action and document, and reads in names (issue 30, finding 11)', () => {
  test('an admin finds the reviewer’s approvals of one activity without typing an id', async () => {
    const title = '操作留痕查询演示';
    const id = await submitted('activities', drawInput(bff, {}, { title }), 'submitActivity');
    expect((await bff.call('approveActivity', { params: { id }, body: { reason: '奖品合规' } }, { token: await staffToken(bff, 'reviewer') })).status).toBe(200);
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/operations`);
    await page.getByRole('tab', { name: '操作留痕' }).click();
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden), .ant-cascader-dropdown:not(.ant-select-dropdown-hidden)');
    await page.getByLabel('操作人').click();
    await dropdown
      .getByText(/（审核员 · .*总行）/)
      .first()
      .click();
    await page.getByLabel('动作').click();
    await dropdown.getByText('活动', { exact: true }).click();
    await dropdown.getByText('审核通过', { exact: true }).click();
    const target = page.locator('.ant-space-compact').getByRole('combobox').last();
    await target.fill('操作留痕查询');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText(new RegExp(title)).click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await page.waitForFunction(() => {
      const shown = document.querySelectorAll('.ant-table-tbody tr.ant-table-row');
      return shown.length === 1 && shown[0].textContent!.includes('奖品合规');
    });
    const row = await rows.first().innerText();
    expect(row).toMatch(/审核员[\s\S]*活动 · 审核通过[\s\S]*奖品合规/);
    expect(row).not.toMatch(/staff-|org-|[0-9a-f]{8}-[0-9a-f]{4}/);
    await consoleShot(page, 'audit-search');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});
