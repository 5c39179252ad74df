import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';
import { startBff, type TestBff } from './bff';
import { launchChromium, PHONE } from './browser';
import { distDir, ensureMiniprogramBuilt } from '../../scripts/lib/miniprogram-build';
import { serveH5 } from '../../scripts/lib/serve-h5';

export type PhoneOptions = {
  /**
   * The customer has agreed to the privacy policy in force (the default): recorded on the BFF,
   * as the gate's 同意并继续 would, for whoever signs in on this phone, and on the phone itself.
   */
  consented?: boolean;
};

export type H5Stack = {
  bff: TestBff;
  url: string;
  browser: Browser;
  /**
   * A phone-sized page (375×812 unless told: SMALL_PHONE is 320×568) signed in (through the fake
   * WeChat login) as this openid; the privacy policy already agreed on this phone unless told not.
   */
  open(openid: string, hash: string, phone?: typeof PHONE, options?: PhoneOptions): Promise<Page>;
  /** A browser context for one phone, as `open` makes them. */
  phone(phone?: typeof PHONE, options?: PhoneOptions): Promise<BrowserContext>;
  stop(): Promise<void>;
};

/** The H5 build served beside a real BFF, with Chromium to drive it. */
export async function startH5Stack(label: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<H5Stack> {
  await ensureMiniprogramBuilt('h5', { quiet: true });
  // The pages' reactions (analytics, triggers, tasks) come from the event feed's worker, as in `npm start`.
  const bff = await startBff(label, { env: options.env, workers: true });
  const h5 = await serveH5({ root: distDir('h5'), bffUrl: bff.url, fakeWechatUrl: process.env.TEST_WECHAT_URL });
  const browser = await launchChromium();
  async function consentOnBff(accessToken: string): Promise<void> {
    const res = await bff.call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }, { token: accessToken });
    if (res.status !== 200) throw new Error(`recording consent failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  async function newPhone(phone = PHONE, { consented = true }: PhoneOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext(phone);
    if (!consented) return context;
    // Most journeys start after the first-launch consent. The BFF is told first: each WeChat login
    // on this phone (whichever openid the page signs in as) records the customer's consent with the
    // token it got, before the page sees that token, so no call of the page can come before it.
    await context.route('**/api/v1/auth/wechat', async (route) => {
      try {
        const response = await route.fetch();
        // A customer the BFF will not take consent from (one who asked for deletion) signs in all the same.
        if (response.ok()) await consentOnBff((await response.json()).accessToken).catch((err: Error) => console.warn(err.message));
        await route.fulfill({ response });
      } catch {
        // The phone was put away while it was still signing in: there is no one left to answer.
      }
    });
    // And the phone's own hint; Taro's storage keeps { data } as JSON.
    await context.addInitScript((version) => localStorage.setItem('bank.privacyConsent', JSON.stringify({ data: version })), PRIVACY_POLICY_VERSION);
    return context;
  }
  return {
    bff,
    url: h5.url,
    browser,
    phone: newPhone,
    async open(openid, hash, phone = PHONE, options = {}) {
      const page = await (await newPhone(phone, options)).newPage();
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
