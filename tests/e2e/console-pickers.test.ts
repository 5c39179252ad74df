import { activityInput, publishActivity } from '../helpers/activities';
import type { TestBff } from '../helpers/bff';
import { consoleShot, signInToConsole, startConsole, type ConsoleStack } from '../helpers/console';
import { drawInput } from '../helpers/draws';
import { livestreamInput } from '../helpers/life';
import { itemInput } from '../helpers/mall';
import { pngOf } from '../helpers/pictures';
import { staffToken } from '../helpers/seed';

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
    await expect(preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(160);
    await consoleShot(page, 'upload-mall-cover');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = (await bff.call('getCatalogueEntry', { params: { id } }, { token: tokens.admin })).body;
    expect(saved.working.images.cover).toMatch(/^\/media\/up-[0-9a-f]{32}\.png$/);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});

