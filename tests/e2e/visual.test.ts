import path from 'node:path';
import type { Page } from 'playwright-core';
import { PHONE, SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemoBank } from '../helpers/seed';

// Issue 29: a visual language a bank would ship. Icons are drawn (never a character in a circle),
// activities show artwork served from /media, the banner says something, empty states are
// illustrated, and the draw grid shows the real prizes with no more 谢谢参与 than the odds allow.

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2evisual');
  await seedDemoBank(stack.bff);
}, 240_000);
afterAll(() => stack?.stop());

/**
 * For every container matched: whether it holds a drawn icon (an element marked data-icon and
 * aria-hidden, or a picture), and any leaf whose whole text is one CJK character or letter (a
 * "glyph" standing in for an icon).
 */
async function iconsIn(page: Page, selector: string) {
  return page.locator(`${selector}:visible`).evaluateAll((els) =>
    els.map((el) => {
      const icon = el.querySelector('[data-icon][aria-hidden="true"], img');
      const glyphs = [...el.querySelectorAll('*')]
        .filter((e) => e.children.length === 0)
        .map((e) => (e.textContent ?? '').trim())
        .filter((t) => /^(\p{Script=Han}|[A-Za-z!○])$/u.test(t));
      return { text: (el.textContent ?? '').trim().slice(0, 12), icon: !!icon, glyphs };
    }),
  );
}

/** Every <img> in the matched elements: its address and whether it loaded. */
async function imagesIn(page: Page, selector: string) {
  return page
    .locator(`${selector}:visible img`)
    .evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => ({ src: i.getAttribute('src') ?? '', loaded: i.complete && i.naturalWidth > 0 })));
}

const expectDrawn = (found: Awaited<ReturnType<typeof iconsIn>>) => {
  expect(found.length).toBeGreaterThan(0);
  for (const f of found) expect(f).toEqual({ text: f.text, icon: true, glyphs: [] });
};

describe('a visual language a bank would ship, in Chromium', () => {
  for (const [label, phone] of [
    ['375', PHONE],
    ['320', SMALL_PHONE],
  ] as const) {
    test(`at ${label} wide: icons are drawn, activity cards and the banner show artwork from /media, empty states are illustrated`, async () => {
      const page = await stack.open(`o_visual_${label}_${Date.now()}`, '/pages/index/index', phone);
      // 首页: shortcuts with icons; the banner tells what the featured activity is, when, and what to do.
      await page.locator('[data-testid="home-shortcut"]:visible').first().waitFor();
      expectDrawn(await iconsIn(page, '[data-testid="home-shortcut"]'));
      const slide = page.locator('[data-testid="banner-slide"]:visible').first();
      await slide.waitFor();
      const slideText = await slide.innerText();
      expect(slideText).toMatch(/\d+月\d+日/); // its period
      await expect(slide.locator('[data-testid="banner-cta"]').innerText()).resolves.toMatch(/^(去|预约|发起|立即)/);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="banner-slide"] img')].some((i) => (i as HTMLImageElement).naturalWidth > 0));
      expect((await imagesIn(page, '[data-testid="banner-slide"]')).some((i) => i.src.includes('/media/') && i.loaded)).toBe(true);
      await page.locator('[data-testid="activity-card"]:visible').first().waitFor();
      await slide.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `visual-home-${label}.png`) });

      // 活动: every card shows a picture served from /media (its own, or its type's artwork), not the type's name on a gradient.
      await page.goto(`${stack.url}/#/pages/activities/index`);
      await page.reload();
      const cards = page.locator('[data-testid="activity-card"]:visible');
      await cards.first().waitFor();
      const count = await cards.count();
      expect(count).toBeGreaterThanOrEqual(8);
      for (let i = 0; i < count; i++) {
        // Pictures load as they scroll into view.
        await cards.nth(i).scrollIntoViewIfNeeded();
        const img = cards.nth(i).locator('img');
        await img.evaluate((m: HTMLImageElement) => new Promise((done) => (m.complete && m.naturalWidth > 0 ? done(null) : m.addEventListener('load', done, { once: true }))));
        const images = await img.evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((m) => ({ src: m.getAttribute('src') ?? '', loaded: m.naturalWidth > 0 })));
        expect(images).toEqual([{ src: expect.stringContaining('/media/'), loaded: true }]);
      }

      // 我的: shortcuts and the avatar are drawn.
      await page.goto(`${stack.url}/#/pages/me/index`);
      await page.reload();
      await page.locator('[data-testid="me-header"]:visible').waitFor();
      expectDrawn(await iconsIn(page, '.me-page__entry'));
      expectDrawn(await iconsIn(page, '.me-page__avatar'));

      // 生活: every service tile (the ETC one too, once an "E") has an icon, not a letter.
      await page.goto(`${stack.url}/#/pages/life/index`);
      await page.reload();
      await page.locator('[data-testid="life-service"]:visible').first().waitFor();
      const tiles = await iconsIn(page, '[data-testid="life-service"]');
      expect(tiles.length).toBeGreaterThanOrEqual(11);
      expectDrawn(tiles);

      // An empty list: a drawn illustration over its words and next step.
      await page.goto(`${stack.url}/#/packages/mall/orders/index`);
      await page.reload();
      const empty = page.locator('[data-testid="state-empty"]:visible');
      await empty.waitFor();
      expect(await iconsIn(page, '[data-testid="state-empty"]')).toEqual([{ text: expect.any(String), icon: true, glyphs: [] }]);
      await page.waitForFunction(() => (document.querySelector('[data-testid="state-empty"] img') as HTMLImageElement | null)?.naturalWidth);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `visual-empty-${label}.png`) });
      await page.context().close();
    });
  }

  test('the draw grid shows every prize with its icon, at most one 谢谢参与, and the odds table says how the grid is laid out', async () => {
    const page = await stack.open(`o_visual_draw_${Date.now()}`, '/pages/activities/index');
    await page.locator('[data-testid="activity-card"]:visible').filter({ hasText: '幸运九宫格' }).click();
    await page.locator('[data-testid="activity-draw"]:visible').click();
    await page.locator('[data-testid="draw-cell"]:visible').first().waitFor();

    const cells = await page
      .locator('[data-testid="draw-cell"]:visible')
      .evaluateAll((els) => els.map((e) => ({ code: e.getAttribute('data-code'), name: e.getAttribute('data-name') })));
    const prizes = await page.locator('[data-testid="draw-prize"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(cells).toHaveLength(8);
    // The demo draw has five prizes and 谢谢参与: each prize on the grid, 谢谢参与 once, the rest repeats.
    const real = prizes.filter((c) => c !== 'THANKS');
    expect(real.length).toBeGreaterThanOrEqual(5);
    for (const code of real) expect(cells.map((c) => c.code)).toContain(code);
    const thanks = cells.filter((c) => c.code === 'THANKS').length;
    expect(thanks).toBe(1);
    expect(thanks).toBeLessThan(real.length);
    expectDrawn(await iconsIn(page, '[data-testid="draw-cell"]'));
    for (const cell of await page.locator('[data-testid="draw-cell"]:visible').allInnerTexts()) expect(cell.trim().length).toBeGreaterThan(1);
    await page.locator('[data-testid="draw-grid-note"]:visible').filter({ hasText: '不改变中奖概率' }).waitFor();
    // Each prize named once with its unit: 88 积分, never 88 积分 积分.
    const odds = await page.locator('[data-testid="draw-rules"]:visible').innerText();
    expect(odds).toContain('88 积分');
    expect(odds).not.toMatch(/积分\s*积分/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'visual-draw.png') });
    await page.context().close();
  });

  test('首页 › 邀请 opens the invite activity, where the invitation is sent: no detour through 我的', async () => {
    const page = await stack.open(`o_invite_short_${Date.now()}`, '/pages/index/index');
    await page.locator('[data-testid="home-shortcut"]:visible').filter({ hasText: '邀请' }).click();
    await page.locator('[data-testid="activity-title"]:visible').filter({ hasText: '邀请好友一起赚积分' }).waitFor();
    await page.locator('[data-testid="activity-invite"]:visible').waitFor();
    await page.context().close();
  });
});
