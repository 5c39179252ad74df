import type { Browser, Page } from 'playwright-core';
import { startBff, type TestBff } from './bff';
import { launchChromium, PHONE } from './browser';
import { distDir, ensureMiniprogramBuilt } from '../../scripts/lib/miniprogram-build';
import { serveH5 } from '../../scripts/lib/serve-h5';

export type H5Stack = {
  bff: TestBff;
  url: string;
  browser: Browser;
  /** A phone-sized page (375×812 unless told: SMALL_PHONE is 320×568) signed in (through the fake WeChat login) as this openid. */
  open(openid: string, hash: string, phone?: typeof PHONE): Promise<Page>;
  stop(): Promise<void>;
};

/** The H5 build served beside a real BFF, with Chromium to drive it. */
export async function startH5Stack(label: string): Promise<H5Stack> {
  await ensureMiniprogramBuilt('h5', { quiet: true });
  const bff = await startBff(label);
  const h5 = await serveH5({ root: distDir('h5'), bffUrl: bff.url, fakeWechatUrl: process.env.TEST_WECHAT_URL });
  const browser = await launchChromium();
  return {
    bff,
    url: h5.url,
    browser,
    async open(openid, hash, phone = PHONE) {
      const page = await (await browser.newContext(phone)).newPage();
      await page.goto(`${h5.url}/?openid=${openid}#${hash}`);
      return page;
    },
    async stop() {
      await browser.close();
      await h5.close();
      await bff.stop();
    },
  };
}
