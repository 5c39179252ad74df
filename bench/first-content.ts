// Time to the first real content of 首页 in Chromium when every API call (and the WeChat
// login) takes a fixed extra latency: a first visit, and a return visit. The baseline, measured
// in the same page, is one API round trip; the ratios say how many round trips the customer
// waits, which is what the page's design decides (the machine's speed barely enters).
import type { Page } from 'playwright-core';
import { PRIVACY_POLICY_VERSION } from '../shared/privacy';
import { distDir, ensureMiniprogramBuilt } from '../scripts/lib/miniprogram-build';
import { serveH5 } from '../scripts/lib/serve-h5';
import { launchChromium, PHONE } from '../tests/helpers/browser';
import type { BenchStack } from './stack';

const LATENCIES_MS = [1000, 2500];
const VISITS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** From navigation to the first activity on screen (the first real content), and to the balance beside it too, in ms. */
async function timeToContent(page: Page, load: () => Promise<unknown>): Promise<{ activity: number; all: number }> {
  const started = Date.now();
  await load();
  const [activity, balance] = await Promise.all([
    page
      .getByTestId('banner-slide')
      .first()
      .waitFor({ timeout: 60_000 })
      .then(() => Date.now() - started),
    page
      .getByTestId('home-points')
      .filter({ hasText: /\d/ })
      .waitFor({ timeout: 60_000 })
      .then(() => Date.now() - started),
  ]);
  return { activity, all: Math.max(activity, balance) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function firstContentScenario(stack: BenchStack) {
  await ensureMiniprogramBuilt('h5', { quiet: true });
  const h5 = await serveH5({ root: distDir('h5'), bffUrl: stack.url, fakeWechatUrl: stack.wechatUrl });
  const browser = await launchChromium();
  const runs: Record<string, unknown> = {};
  try {
    for (const latency of LATENCIES_MS) {
      const first: { activity: number; all: number }[] = [];
      const again: { activity: number; all: number }[] = [];
      const rtts: number[] = [];
      for (let visit = 0; visit < VISITS; visit++) {
        const context = await browser.newContext(PHONE);
        await context.addInitScript((version) => localStorage.setItem('bank.privacyConsent', JSON.stringify({ data: version })), PRIVACY_POLICY_VERSION);
        await context.route(/\/(api|__fake-wechat)\//, async (route) => {
          await sleep(latency);
          await route.continue();
        });
        const page = await context.newPage();
        // The BFF serves the balance only to a customer who agreed to the privacy policy: this one
        // did before (on another phone), so this is a first visit of this browser, not of the customer.
        const openid = `o_bench_fc_${latency}_${visit}`;
        await stack.customer(openid);
        const url = `${h5.url}/?openid=${openid}#/pages/index/index`;
        first.push(await timeToContent(page, () => page.goto(url)));
        again.push(await timeToContent(page, () => page.reload()));
        rtts.push(
          await page.evaluate(async () => {
            const t = performance.now();
            await fetch('/api/v1/me');
            return performance.now() - t;
          }),
        );
        await context.close();
      }
      const rtt = median(rtts);
      const firstActivity = median(first.map((f) => f.activity));
      runs[`${latency}ms`] = {
        oneRoundTripMs: Math.round(rtt),
        firstVisitFirstActivityMs: firstActivity,
        firstVisitMs: median(first.map((f) => f.all)),
        returnVisitMs: median(again.map((f) => f.all)),
        firstVisitFirstActivityInRoundTrips: +(firstActivity / rtt).toFixed(2),
        firstVisitInRoundTrips: +(median(first.map((f) => f.all)) / rtt).toFixed(2),
        returnVisitInRoundTrips: +(median(again.map((f) => f.all)) / rtt).toFixed(2),
      };
    }
  } finally {
    await browser.close();
    await h5.close();
  }
  return {
    visitsPerFigure: VISITS,
    note: 'median of visits; a first visit shows the public preview while it signs in (WeChat code, then /auth/wechat), and the balance after',
    runs,
  };
}
