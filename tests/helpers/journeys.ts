import type { Page } from 'playwright-core';

/**
 * The main customer journeys, written once against a small driver, so the Chromium suite (H5)
 * and the automator suite (the weapp build in WeChat DevTools) run the same steps. A target is
 * found by its test id in a browser and by its class in WeChat, whose selectors know no
 * attributes.
 */
export const TARGETS = {
  checkinButton: { testid: 'checkin-button', className: 'checkin-card__button' },
  checkinStreak: { testid: 'checkin-streak', className: 'checkin-card__streak' },
  quizOption00: { testid: 'quiz-option-0-0', className: 'quiz-page__option' },
  quizSubmit: { testid: 'quiz-submit', className: 'quiz-page__submit' },
  quizResult: { testid: 'quiz-result', className: 'quiz-result-banner' },
  confirmRedeem: { testid: 'confirm-redeem', className: 'mall-confirm-page__redeem' },
  resultHeadline: { testid: 'result-headline', className: 'mall-result-page__headline' },
  orderCode: { testid: 'order-coupon-code', className: 'order-card__code-value' },
} as const;
export type Target = (typeof TARGETS)[keyof typeof TARGETS];

export type Driver = {
  open(route: string): Promise<void>;
  tap(target: Target): Promise<void>;
  /** Waits until the target's text contains `text`; returns the text. */
  waitText(target: Target, text: string | RegExp): Promise<string>;
};

export async function checkInFromHome(d: Driver): Promise<void> {
  await d.open('/pages/index/index');
  await d.waitText(TARGETS.checkinButton, '签到 +');
  await d.tap(TARGETS.checkinButton);
  await d.waitText(TARGETS.checkinButton, '今日已签');
  await d.waitText(TARGETS.checkinStreak, '已连续签到 1 天');
}

/** A one-question quiz (right answer: the first option) answered right: the result says so. */
export async function passQuiz(d: Driver, activityId: string): Promise<void> {
  await d.open(`/packages/activity/quiz/index?id=${activityId}`);
  await d.tap(TARGETS.quizOption00);
  await d.tap(TARGETS.quizSubmit);
  await d.waitText(TARGETS.quizResult, '恭喜通过');
}

/** Redeems a coupon from its confirm page and reads its code back from the result. */
export async function redeemCoupon(d: Driver, itemId: string): Promise<string> {
  await d.open(`/packages/mall/confirm/index?id=${itemId}`);
  await d.waitText(TARGETS.confirmRedeem, '确认兑换');
  await d.tap(TARGETS.confirmRedeem);
  await d.waitText(TARGETS.resultHeadline, '兑换成功');
  return (await d.waitText(TARGETS.orderCode, /\w{6,}/)).trim();
}

/** The driver for the H5 build in Chromium. */
export function chromiumDriver(page: Page, baseUrl: string): Driver {
  const find = (t: Target) => page.locator(`[data-testid="${t.testid}"]:visible`).first();
  return {
    async open(route) {
      await page.goto(`${baseUrl}/#${route}`);
      await page.reload();
    },
    tap: (t) => find(t).click(),
    async waitText(t, text) {
      const el = page.locator(`[data-testid="${t.testid}"]:visible`).filter({ hasText: text }).first();
      await el.waitFor();
      return el.innerText();
    },
  };
}
