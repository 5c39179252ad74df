import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from '../../scripts/lib/preflight';
import { REPORTS_DIR } from './bff';

/** Where the browser tests put their pictures; `npm run screens` points it elsewhere to refresh docs/screens/. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(REPORTS_DIR, 'screenshots');

/** Debian's Chromium, headless, with the flags this closed network needs; Playwright gives it a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized page, as a customer in China holds it: their locale and time zone. */
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
/** The smallest phone still in use (iPhone SE, first generation). */
export const SMALL_PHONE = { ...PHONE, viewport: { width: 320, height: 568 } };
