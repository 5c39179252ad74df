import type { Page } from 'playwright-core';
import { activityInput } from '../helpers/activities';
import type { TestBff } from '../helpers/bff';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { categoryInput, itemInput, publishEntry } from '../helpers/mall';
import { staffToken } from '../helpers/seed';

/**
 * Issue 30, item 5: a reviewer's 消保审核 queue describes each request in business terms, counts
 * every tab, reads every page of pending documents, and shows no tab the reviewer may not read.
 */
let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;
/** More pending documents than one page of the BFF's list holds (200). */
const DOCUMENTS = 201;
const DOCUMENT_LISTS = ['listActivities', 'listCatalogueEntries', 'listQuizQuestions', 'listLifeServices', 'listLivestreams', 'listTriggers', 'listCobrandCoupons'] as const;
/** What no visible text may contain: field names, raw values, ids (the business-language rule). */
const NOT_BUSINESS = /[a-z]+_[a-z]+|\b(true|false|null|undefined)\b|[0-9a-f]{8}-[0-9a-f]{4}/;

beforeAll(async () => {
  stack = await startConsole('e2ereviewqueue');
  ({ bff, consoleUrl } = stack);
  const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  const rows = Array.from({ length: DOCUMENTS }, (_, n) => activityInput(bff, { code: `QUEUE-${n + 1}`, title: `排队活动${n + 1}` }));
  expect((await bff.call('bulkUploadActivities', { body: { items: rows } }, { token: tokens.admin })).body.created).toBe(DOCUMENTS);
  const drafts: string[] = [];
  for (let page = 1; drafts.length < DOCUMENTS; page++) {
    const listed = await bff.call('listActivities', { query: { q: 'QUEUE-', workingState: 'draft', page, pageSize: 200 } }, { token: tokens.admin });
    drafts.push(...listed.body.items.map((d: { id: string }) => d.id));
  }
  for (let i = 0; i < drafts.length; i += 20) await Promise.all(drafts.slice(i, i + 20).map((id) => bff.call('submitActivity', { params: { id } }, { token: tokens.admin })));

  expect((await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-1', amount: 200, reason: '活动补发' } }, { token: tokens.admin })).status).toBe(201);
  await publishEntry(bff, tokens, categoryInput());
  const itemId = await publishEntry(bff, tokens, itemInput(bff, { title: '星巴克中杯券', type: 'physical', initialStock: 300, fulfilment: {} }));
  expect((await bff.call('requestStockAdjustment', { params: { id: itemId }, body: { delta: -120, reason: '盘点差异' } }, { token: tokens.admin })).status).toBe(201);
}, 300_000);
afterAll(() => stack?.stop());

const tab = (page: Page, label: string) => page.getByRole('tab', { name: new RegExp(label) });
const countOn = (page: Page, label: string) => tab(page, label).locator('sup').getAttribute('title');
const visibleText = (page: Page) => page.locator('main, .ant-layout-content').first().innerText();

describe('the reviewer’s 消保审核 queue', () => {
  test('every request is described by name and amount, every tab is counted, every document shows, and one is approved', async () => {
    const reviewerToken = await staffToken(bff, 'reviewer');
    let pendingDocuments = 0;
    for (const list of DOCUMENT_LISTS) pendingDocuments += (await bff.call(list, { query: { workingState: 'pending_review', pageSize: 1 } }, { token: reviewerToken })).body.total;
    expect(pendingDocuments).toBeGreaterThanOrEqual(DOCUMENTS);

    const { page, context, errors } = await signInToConsole(stack.browser, consoleUrl, 'reviewer');
    await page.goto(`${consoleUrl}/#/review`);
    await page.getByText(`共 ${pendingDocuments} 条`).waitFor({ timeout: 60_000 });
    await expect(countOn(page, '内容审核')).resolves.toBe(String(pendingDocuments));
    // Units and people by name: the Shanghai branch, and the head office's admin masked.
    await expect(page.getByRole('cell', { name: '示例银行上海分行' }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: '**理' }).first().isVisible()).resolves.toBe(true);
    expect(await visibleText(page)).not.toMatch(NOT_BUSINESS);
    await expect(tab(page, '员工账号').count()).resolves.toBe(0);
    await consoleShot(page, 'review-queue-documents');

    await expect(countOn(page, '库存调整')).resolves.toBe('1');
    await tab(page, '库存调整').click();
    await page.getByText(/星巴克中杯券（ITEM-[0-9a-f]+）：库存 300 → 180（-120）/).waitFor();
    expect(await visibleText(page)).not.toMatch(NOT_BUSINESS);

    await expect(countOn(page, '积分调整')).resolves.toBe('1');
    await tab(page, '积分调整').click();
    const row = page.getByRole('row', { name: /\*三 \/ C000000000001：\+200 积分/ });
    await row.waitFor();
    await expect(row.getByRole('cell', { name: '**理' }).isVisible()).resolves.toBe(true);
    expect(await visibleText(page)).not.toMatch(NOT_BUSINESS);
    await consoleShot(page, 'review-queue-points');

    await row.getByRole('button', { name: '通过' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await page.getByText('已通过').waitFor();
    await page.getByText('没有待审批的积分调整').waitFor();
    await expect(countOn(page, '积分调整')).resolves.toBe('0');
    expect((await bff.app.services.points.balance('cust-demo-1')).balance).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
