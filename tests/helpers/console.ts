import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../bff/demo/people';
import { ensureConsoleBuilt } from '../../scripts/lib/console-build';
import { serveH5 } from '../../scripts/lib/serve-h5';
import { SCREENSHOT_DIR } from './browser';
import { startH5Stack, type H5Stack } from './h5-stack';
import { seedDemo } from './seed';

/**
 * The operator's browser. It asks for reduced motion, which the console honours, so no step waits on a
 * dialog's or menu's closing motion (on a loaded machine one was left half-run and swallowed the next click).
 */
export const DESKTOP = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' as const };

export type ConsoleStack = H5Stack & { consoleUrl: string };

/** The console's build served beside a real BFF with the demo bank seeded, and Chromium to drive it. */
export async function startConsole(label: string): Promise<ConsoleStack> {
  const root = await ensureConsoleBuilt();
  const stack = await startH5Stack(label);
  await seedDemo(stack.bff);
  const served = await serveH5({ root, bffUrl: stack.bff.url });
  return {
    ...stack,
    consoleUrl: served.url,
    stop: async () => {
      await served.close();
      await stack.stop();
    },
  };
}

export const consoleShot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `console-${name}.png`), fullPage: true });

/** A staff member's browser, signed in through the console's own login page; script errors are collected for the test to check. */
export async function signInToConsole(
  browser: Browser,
  consoleUrl: string,
  username: string,
  viewport = DESKTOP.viewport,
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ ...DESKTOP, viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${consoleUrl}/#/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('whoami').waitFor();
  return { page, context, errors };
}

/** A tab whose stored session can no longer be renewed, as after a long pause: the console shows 登录已过期. */
export async function expiredSessionContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext(DESKTOP);
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('console.session')) {
      sessionStorage.setItem(
        'console.session',
        JSON.stringify({
          accessToken: 'expired.token.value',
          refreshToken: 'r'.repeat(40),
          role: 'admin',
          subject: 'staff-admin-hq',
          accessTokenExpiresAt: '',
          refreshTokenExpiresAt: '',
        }),
      );
    }
  });
  return context;
}

const OPEN_DROPDOWN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';
/** Opens a select once any other dropdown has finished closing (a closing one swallows the click), and picks the option showing `text`. */
export async function pick(page: Page, select: Locator, text: string | RegExp): Promise<void> {
  await page.waitForFunction((open) => !document.querySelector(open), OPEN_DROPDOWN);
  await select.click();
  await page.locator(OPEN_DROPDOWN).getByText(text).first().click();
}
