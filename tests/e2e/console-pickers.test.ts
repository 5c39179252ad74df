import { randomUUID } from 'node:crypto';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import type { TestBff } from '../helpers/bff';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { drawInput, giveChances } from '../helpers/draws';
import { livestreamInput, publishReviewed } from '../helpers/life';
import { itemInput, publishEntry, uploadCodes } from '../helpers/mall';
import { pngOf } from '../helpers/pictures';
import { staffToken } from '../helpers/seed';
import { triggerInput } from '../helpers/triggers';

// Issue 30, finding 4: a livestream's linked activity was a UUID typed by hand, a draw's fallback and a prize's mall item free text.
let stack: ConsoleStack;
let bff: TestBff;
let consoleUrl: string;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  stack = await startConsole('e2econsolepickers');
  ({ bff, consoleUrl } = stack);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
}, 240_000);
afterAll(() => stack?.stop());

const hour = 3600_000;
const at = (ms: number) => new Date(bff.clock.now().getTime() + ms).toISOString();

describe('documents another document names are chosen from a searchable list, never typed as ids', () => {
  test('a livestream shows its linked activity by title, and another is added by searching its title; the BFF stores the id', async () => {
    const first = await publishActivity(bff, tokens, activityInput(bff, { title: '直播预约礼' }));
    const second = await publishActivity(bff, tokens, activityInput(bff, { title: '年终理财直播抽奖前奏' }));
    const created = await bff.request('POST', '/api/v1/admin/livestreams', { token: tokens.admin, body: livestreamInput(at(24 * hour), at(26 * hour), { activityIds: [first] }) });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/livestreams/${id}`);
    const field = page.locator('.ant-form-item', { has: page.getByLabel('关联活动', { exact: true }) });
    await field.getByText('直播预约礼', { exact: false }).waitFor();
    await expect(field.innerText()).resolves.not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);

    await page.getByLabel('关联活动', { exact: true }).fill('年终理财');
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.getByText(/年终理财直播抽奖前奏/).click();
    // Each document once, the chosen ones with the search's results.
    const offered = await dropdown.locator('.ant-select-item-option').allInnerTexts();
    expect(offered.filter((o) => o.includes('直播预约礼'))).toHaveLength(1);
    await page.keyboard.press('Escape');
    await consoleShot(page, 'picker-livestream-activities');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = (await bff.call('getLivestream', { params: { id } }, { token: tokens.admin })).body;
    expect(saved.working.activityIds).toEqual([first, second]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  test('a draw’s fallback prize is chosen among the prizes the form lists, by name', async () => {
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: drawInput(bff) });
    expect(created.status).toBe(201);
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/activities/${created.body.id}`);
    const fallback = page.getByLabel('兜底奖品', { exact: true });
    await fallback.waitFor();
    await fallback.click();
    const offered = await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
    expect(offered).toEqual(['50 积分（P50）', '咖啡券（COFFEE）', '保温杯（CUP）', '谢谢参与（THANKS）']);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

describe('a document’s picture is uploaded from the computer and previewed (issue 30, finding 9)', () => {
  test('a mall item’s cover: a wrong file is refused with what to do; a PNG is uploaded, previewed, saved as the BFF’s address and served', async () => {
    const created = await bff.request('POST', '/api/v1/admin/mall/catalogue', { token: tokens.admin, body: itemInput(bff, { title: '年终好礼咖啡券' }) });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/mall/${id}`);
    const cover = page.locator('.ant-form-item', { has: page.getByText('封面图', { exact: true }) });
    await cover.getByText('未设置图片').waitFor();
    const chooser = cover.locator('input[type=file]');

    await chooser.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是图片') });
    await cover.getByText('「说明.txt」不是 PNG、JPG 或 WebP 图片，请换一张').waitFor();

    await chooser.setInputFiles({ name: '咖啡券封面.png', mimeType: 'image/png', buffer: pngOf(160, 120, [120, 70, 40]) });
    const preview = cover.getByRole('img', { name: '图片预览' });
    await preview.waitFor();
    // Read once the picture has loaded (a loaded machine may still be fetching it when the element appears).
    const width = preview.evaluate((img: HTMLImageElement) =>
      img.complete ? img.naturalWidth : new Promise<number>((resolve) => img.addEventListener('load', () => resolve(img.naturalWidth), { once: true })),
    );
    await expect(width).resolves.toBe(160);
    await consoleShot(page, 'upload-mall-cover');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = (await bff.call('getCatalogueEntry', { params: { id } }, { token: tokens.admin })).body;
    expect(saved.working.images.cover).toMatch(/^\/media\/up-[0-9a-f]{32}\.png$/);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

describe('a coupon’s codes come from a file, checked against the stock before anything is sent (issue 30, finding 9)', () => {
  test('a pool smaller than the stock is pointed out; a file with a bad line is refused line by line; the fixed file is uploaded and the count follows', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { title: '年终星巴克券', initialStock: 5 }));
    await uploadCodes(bff, tokens.admin, id, 2);
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/mall`);
    await page.getByRole('tab', { name: '库存与券码' }).click();
    const panel = page.getByRole('tabpanel', { name: '库存与券码' });
    await panel.getByRole('combobox').fill('年终星巴克');
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
      .getByText(/年终星巴克券/)
      .click();
    await panel.getByText('可用券码 2 个，少于可售库存 5：超出的 3 份兑换时将没有券码，请补充券码').waitFor();

    const chooser = panel.locator('input[type=file]');
    await chooser.setInputFiles({ name: '券码.csv', mimeType: 'text/csv', buffer: Buffer.from('券码,备注\nSBX-0001,第一批\nSBX 0002,空格\nSBX-0003,\nSBX-0001,重复\n') });
    await panel.getByText('1 行不是有效券码，请修正后再上传（未上传任何券码）').waitFor();
    await panel.getByText(/第 3 行「SBX 0002」/).waitFor();
    await expect(panel.getByRole('button', { name: /上传 2 个券码/ }).isDisabled()).resolves.toBe(true);

    await chooser.setInputFiles({ name: '券码-修正.csv', mimeType: 'text/csv', buffer: Buffer.from('券码\nSBX-0001\nSBX-0002\nSBX-0003\nSBX-0001\n') });
    const check = panel.getByTestId('code-check');
    // The file is read in the browser before it is counted.
    await check.getByText('券码-修正.csv').waitFor();
    await expect(check.innerText()).resolves.toMatch(/券码-修正\.csv[\s\S]*有效券码\s*3[\s\S]*文件内重复\s*1[\s\S]*上传后可用\s*5 \/ 可售库存 5/);
    await consoleShot(page, 'upload-coupon-codes');
    await panel.getByRole('button', { name: '上传 3 个券码' }).click();
    await page.getByText('已上传：新增 3 个券码').waitFor();
    await panel.getByText('可用券码 2 个，少于可售库存 5').waitFor({ state: 'detached' });
    const levels = (await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body;
    expect(levels.codes).toEqual({ poolSize: 5, assigned: 0 });
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

describe('a live draw’s prizes are run from its page: codes counted, won prizes shipped to the full address (issue 30, finding 12)', () => {
  test('the admin sees a coupon prize short of codes, and ships a won cup to the address the winner gave', async () => {
    const input = drawInput(bff, {
      prizes: [
        { code: 'COFFEE', name: '咖啡券', kind: 'coupon', valueYuan: 10, weight: 1, quantity: 3 },
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 1_000_000, quantity: 1 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
      ],
    });
    const id = await publishActivity(bff, tokens, input);
    const c = await customerSession(bff);
    await giveChances(bff, input.code, c.id, 1);
    const won = await bff.request('POST', `/api/v1/activities/${id}/draw/draws`, { token: c.token, headers: { 'Idempotency-Key': randomUUID() } });
    expect(won.body).toMatchObject({ prizeCode: 'CUP', state: 'to_claim' });
    const address = await bff.call(
      'addMyAddress',
      { body: { name: '李秀英', phone: '13912345678', region: '浙江省 杭州市 西湖区', detail: '文三路 90 号 2 幢' } },
      { token: c.token },
    );
    expect((await bff.call('claimMyDrawPrize', { params: { drawId: won.body.drawId }, body: { addressId: address.body.id } }, { token: c.token })).status).toBe(200);

    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/activities/${id}?tab=prizes`);
    const prizes = page.locator('.ant-card', { hasText: '券码（可用 / 总数）' });
    await expect(prizes.locator('tr', { hasText: '咖啡券' }).innerText()).resolves.toMatch(/0 \/ 0\s*上传券码/);
    const row = page.locator('.ant-card', { hasText: '中奖与发货' }).locator('tr', { hasText: '保温杯' });
    await expect(row.innerText()).resolves.toMatch(/李秀英 13912345678[\s\S]*浙江省 杭州市 西湖区 文三路 90 号 2 幢[\s\S]*待发货/);
    await row.getByRole('button', { name: '发货' }).click();
    const dialog = page.getByRole('dialog', { name: '发货：保温杯' });
    await expect(dialog.innerText()).resolves.toContain('文三路 90 号 2 幢');
    await dialog.getByLabel('快递公司').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('顺丰速运').click();
    await dialog.getByLabel('运单号').fill('SF2026120600001');
    await consoleShot(page, 'draw-ship-prize');
    await dialog.getByRole('button', { name: '确认发货' }).click();
    await row.getByText('已发货 顺丰速运 SF2026120600001').waitFor();
    const mine = await bff.call('listMyDrawPrizes', undefined, { token: c.token });
    expect(mine.body.items[0]).toMatchObject({ state: 'shipped', shipping: { carrier: '顺丰速运', trackingNo: 'SF2026120600001' } });
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

describe('a trigger is configured with the audience builder and typed condition values, never JSON (issue 30, finding 4)', () => {
  test('the admin adds a tag condition and an excluded list, sees the audience size, sets 属于 values, and the BFF stores the expression', async () => {
    const [a, b] = [await customerSession(bff), await customerSession(bff)];
    const tagged = await bff.request('POST', '/api/v1/admin/customer-tags', {
      token: tokens.admin,
      body: {
        items: [
          { customerId: a.id, tier: 'V3', tags: ['代发工资客户'] },
          { customerId: b.id, tier: 'V3', tags: ['代发工资客户'], lists: ['已开户名单'] },
        ],
      },
    });
    expect(tagged.status).toBe(200);
    const created = await bff.request('POST', '/api/v1/admin/triggers', {
      token: tokens.admin,
      body: triggerInput(bff, { conditions: [{ field: 'productCode', op: 'in', value: ['PAY01'] }], audience: { tier: ['V3'] } }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/triggers/${id}`);
    const builder = page.locator('.ant-form-item', { has: page.getByText('满足全部条件（且）') });
    await builder.getByTestId('audience-condition').first().waitFor();
    await expect(builder.innerText()).resolves.not.toMatch(/[{}"]/);

    // 且 标签 = 代发工资客户, 且 排除 名单 = 已开户名单.
    const addCondition = async (kind: string, value: string) => {
      await builder.getByRole('button', { name: '添加条件', exact: true }).click();
      const row = builder.getByTestId('audience-condition').last();
      // The previous condition's dropdown is gone before this one opens, so the one open is this one.
      await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
      await row.getByLabel('条件', { exact: true }).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(kind, { exact: true }).click();
      await row.getByLabel(kind, { exact: true }).fill(value);
      await page.keyboard.press('Escape');
      return row;
    };
    await addCondition('标签', '代发工资客户');
    const listed = await addCondition('名单', '已开户名单');
    await listed.getByLabel('排除符合此条件的客户').click();
    const estimate = page.getByTestId('audience-estimate');
    await expect(estimate.innerText()).resolves.toMatch(/预计覆盖 \d+ 位客户/);
    // a matches (V3, tagged, not on the list); b is excluded by the list.
    await page.waitForFunction(() => /预计覆盖 1 位客户/.test(document.querySelector('[data-testid="audience-estimate"]')?.textContent ?? ''));

    // The condition's field by its name, not the event's key.
    const field = page.locator('.ant-form-item', { has: page.getByText('字段', { exact: true }) }).first();
    await expect(field.innerText()).resolves.toContain('产品编码');
    await expect(field.innerText()).resolves.not.toContain('productCode');
    const value = page.locator('.ant-form-item', { has: page.getByText('值', { exact: true }) }).first();
    await value.locator('input').fill('PAY02');
    await page.keyboard.press('Enter');
    await consoleShot(page, 'trigger-audience-builder');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = (await bff.call('getTrigger', { params: { id } }, { token: tokens.admin })).body.working;
    expect(saved.audience).toEqual({ all: [{ tier: ['V3'] }, { tag: '代发工资客户' }, { not: { list: '已开户名单' } }] });
    expect(saved.conditions).toEqual([{ field: 'productCode', op: 'in', value: ['PAY01', 'PAY02'] }]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

describe('a live trigger, livestream or invite shows its figures on its page (issue 30, finding 12)', () => {
  test('the trigger’s firings and the livestream’s reminder books, in Chinese with units; a livestream can be marked ended early', async () => {
    const trigger = await publishReviewed(
      bff,
      tokens,
      'triggers',
      triggerInput(bff, {
        name: '大额入账关怀',
        description: '大额入账后推荐理财直播',
        action: { kind: 'reward', reward: { kind: 'points', amount: 5 }, budget: { maxRewards: 10 } },
      }),
    );
    const live = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(at(2 * hour), at(3 * hour)));
    const c = await customerSession(bff);
    expect((await bff.call('reserveLivestream', { params: { id: live }, body: { subscribed: true } }, { token: c.token })).status).toBe(200);

    const admin = await signInToConsole(stack.browser, consoleUrl, 'admin');
    const page = admin.page;
    await page.goto(`${consoleUrl}/#/content/triggers/${trigger}?tab=figures`);
    await expect(page.getByTestId('live-figures').innerText()).resolves.toMatch(/已触发客户\s*0 人[\s\S]*预算用尽未发放\s*0 人/);
    await page.goto(`${consoleUrl}/#/content/livestreams/${live}?tab=figures`);
    await page.reload();
    await expect(page.getByTestId('live-figures').innerText()).resolves.toMatch(/预约\s*1 人[\s\S]*订阅开播提醒\s*1 人/);
    // Not on air yet: it cannot end early.
    await expect(page.getByRole('button', { name: '提前结束' }).count()).resolves.toBe(0);
    const onAir = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(at(-hour), at(hour)));
    await page.goto(`${consoleUrl}/#/content/livestreams/${onAir}?tab=figures`);
    await page.reload();
    await page.getByRole('button', { name: '提前结束' }).click();
    await page.getByRole('button', { name: '标记提前结束' }).click();
    await page.getByText('已标记提前结束').waitFor();
    expect((await bff.call('viewLivestream', { params: { id: onAir } }, { token: c.token })).body.state).toBe('ended');
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});
