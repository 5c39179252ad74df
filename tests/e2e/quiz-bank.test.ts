import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, SMALL_PHONE } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let stack: H5Stack;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  stack = await startH5Stack('e2equizbank');
  await seedDemo(stack.bff);
  tokens = { admin: await staffToken(stack.bff, 'admin'), reviewer: await staffToken(stack.bff, 'reviewer') };
}, 240_000);
afterAll(() => stack?.stop());

describe('a quiz drawn from a question bank, in Chromium', () => {
  test('start an attempt: questions drawn for it, a countdown and progress; hand it in; every answer explained', async () => {
    const items = [
      {
        code: 'E2E-TF-1',
        type: 'question',
        orgUnitId: 'org-hq',
        bank: 'E2E',
        format: 'truefalse',
        text: '银行工作人员不会索要短信验证码。',
        options: letteredOptions(['正确', '错误']),
        answer: ['A'],
        explanation: '任何索要验证码的都是骗子。',
      },
      {
        code: 'E2E-M-1',
        type: 'question',
        orgUnitId: 'org-hq',
        bank: 'E2E',
        format: 'multiple',
        text: '哪些不能告诉他人？',
        options: letteredOptions(['验证码', '网点地址', '密码']),
        answer: ['A', 'C'],
        explanation: '验证码和密码只属于你自己。',
      },
    ];
    expect((await stack.bff.call('bulkUploadQuizQuestions', { query: {}, body: { items } }, { token: tokens.admin })).body).toMatchObject({ created: 2 });
    for (const q of (await stack.bff.call('listQuizQuestions', { query: { pageSize: '200' } }, { token: tokens.admin })).body.items) {
      await stack.bff.call('submitQuizQuestion', { params: { id: q.id } }, { token: tokens.admin });
      await stack.bff.call('approveQuizQuestion', { params: { id: q.id }, body: {} }, { token: tokens.reviewer });
    }
    const quizId = await publishActivity(
      stack.bff,
      tokens,
      activityInput(stack.bff, {
        type: 'quiz',
        title: '反诈题库答题',
        reward: { kind: 'points', amount: 20 },
        settings: { bank: { codes: ['E2E'], count: 2, timeLimitSeconds: 120 }, passScore: 2 },
      }),
    );

    // Someone else has already taken part this week, slower than the customer will be.
    const rival = await customerSession(stack.bff);
    const rivalAttempt = (await stack.bff.call('startQuizAttempt', { params: { id: quizId } }, { token: rival.token })).body;
    stack.bff.clock.advance(45_000);
    const rivalAnswers = rivalAttempt.questions.map((q: { code: string }) => (q.code === 'E2E-M-1' ? [0, 2] : [0]));
    expect(
      (await stack.bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: rivalAttempt.attemptId }, body: { answers: rivalAnswers } }, { token: rival.token })).status,
    ).toBe(200);

    const page = await stack.open(`o_qb_${Date.now()}`, `/packages/activity/quiz/index?id=${quizId}`);
    // The quiz page hands a bank quiz to its own page.
    await page.locator('[data-testid="quiz-start"]:visible').click();
    await page
      .locator('[data-testid="quiz-progress"]:visible')
      .filter({ hasText: /已答 0\/2 · 剩余时间 [12]:\d\d/ })
      .waitFor();
    const texts = await page.locator('.quiz-page__text:visible').allInnerTexts();
    for (const [qi, text] of texts.entries()) {
      if (text.includes('[判断]')) await page.locator(`[data-testid="quiz-option-${qi}-0"]:visible`).click();
      else {
        await page.locator(`[data-testid="quiz-option-${qi}-0"]:visible`).click();
        await page.locator(`[data-testid="quiz-option-${qi}-2"]:visible`).click();
      }
    }
    await page.locator('[data-testid="quiz-progress"]:visible').filter({ hasText: '已答 2/2' }).waitFor();
    await page.locator('[data-testid="quiz-submit"]:visible').click();
    await page.locator('[data-testid="quiz-result"]:visible').filter({ hasText: '恭喜通过！已获得 20 积分' }).waitFor();
    const review = await page.locator('[data-testid="quiz-result-screen"]:visible').innerText();
    expect(review).toContain('解析：任何索要验证码的都是骗子。');
    expect(review).toContain('正确答案：A. 验证码；C. 密码');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-result.png') });
    // The header now says the quiz is passed, without a reload.
    await page.locator('[data-testid="quiz-attempts"]:visible').filter({ hasText: '您已通过' }).waitFor();

    // The week's board: my row marked, ahead of the slower rival, and my own place above it.
    await page.locator('[data-testid="quiz-board"]:visible').click();
    await page.locator('[data-testid="board-me"]:visible').filter({ hasText: '第 1 名' }).waitFor();
    const rows = await page.locator('[data-testid="board-row"]:visible').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('（我）');
    expect(rows[0]).toContain('2/2 题');
    expect(rows[1]).toContain('用时 0:45');
    expect(rows[1]).not.toContain('（我）');
    expect(await page.locator('[data-testid="board-me"]:visible').innerText()).toContain('共 2 人上榜');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-leaderboard.png') });
    // Last week had nobody: an empty state with a way back.
    await page.locator('[data-testid="board-tab-previous"]:visible').click();
    await page.locator('[data-testid="state-empty"]:visible').filter({ hasText: '上周没有人上榜' }).waitFor();
    await page.locator('[data-testid="state-empty-action"]:visible').click();
    await page.locator('[data-testid="board-row"]:visible').first().waitFor();
    await page.context().close();
  });

  /** A weekly quiz of 7 questions drawn from 9, 5 minutes: long enough that question 5 sits far below the page's head. */
  async function weeklyQuiz(bank: string): Promise<string> {
    const items = Array.from({ length: 9 }, (_, i) => ({
      code: `${bank}-${i + 1}`,
      type: 'question',
      orgUnitId: 'org-hq',
      bank,
      format: 'single',
      text: `${bank} 第 ${i + 1} 题：有人自称银行客服，说您的账户异常，要求您把资金转到“安全账户”。您应该怎么做？`,
      options: letteredOptions(['挂断电话，拨打银行官方客服电话核实', '按对方要求尽快转账', '把短信验证码告诉对方以便核实身份']),
      answer: ['A'],
      explanation: '银行不会要求客户把资金转到所谓安全账户。',
    }));
    expect((await stack.bff.call('bulkUploadQuizQuestions', { query: {}, body: { items } }, { token: tokens.admin })).body).toMatchObject({ created: 9 });
    for (const q of (await stack.bff.call('listQuizQuestions', { query: { pageSize: '200' } }, { token: tokens.admin })).body.items) {
      if (!q.code.startsWith(`${bank}-`)) continue;
      await stack.bff.call('submitQuizQuestion', { params: { id: q.id } }, { token: tokens.admin });
      await stack.bff.call('approveQuizQuestion', { params: { id: q.id }, body: {} }, { token: tokens.reviewer });
    }
    return publishActivity(
      stack.bff,
      tokens,
      activityInput(stack.bff, {
        type: 'quiz',
        title: '反诈知识周赛（限时）',
        reward: { kind: 'points', amount: 30 },
        settings: { bank: { codes: [bank], count: 7, timeLimitSeconds: 300 }, passScore: 6 },
      }),
    );
  }

  /**
   * The element lies wholly inside the viewport, once the page has come to rest (while Taro's H5 page slides
   * in, the page carries a transform, and a fixed bar inside it rides along for those 300 ms).
   */
  async function inView(page: Page, selector: string) {
    const height = page.viewportSize()!.height;
    const measure = () => page.locator(selector).boundingBox();
    let box = await measure();
    for (let i = 0; i < 20 && box && (box.y < 0 || box.y + box.height > height); i++) {
      await page.waitForTimeout(100);
      box = await measure();
    }
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(height);
    return box!;
  }

  const questionTexts = (page: Page) => page.locator('[data-testid^="quiz-question-"] .quiz-page__text:visible').allInnerTexts();
  const chosenOptions = (page: Page) => page.locator('.quiz-page__option--on:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

  test('a timed quiz at 375×812: one tap starts it, the clock stays in sight, leaving asks, coming back resumes it as it was, the count stays after a pass', async () => {
    const quizId = await weeklyQuiz('E2E-WEEK');
    const openid = `o_qbw_${Date.now()}`;
    const page = await stack.open(openid, `/packages/activity/detail/index?id=${quizId}`);
    const me = await signIn(stack.bff, openid);
    const serverQuiz = async () => (await stack.bff.call('getMyQuiz', { params: { id: quizId } }, { token: me.token })).body;
    const perDay = (await serverQuiz()).attemptsPerDay;

    // (d) 开始答题 on the activity's page is the one tap: the questions are there, no second 开始.
    await page.getByTestId('activity-title').filter({ hasText: '反诈知识周赛（限时）' }).waitFor();
    await page.locator('[data-testid="activity-quiz"]:visible').click();
    await page.locator('[data-testid="quiz-question-0"]:visible').waitFor();
    expect(await page.locator('[data-testid="quiz-start"]:visible').count()).toBe(0);
    expect((await serverQuiz()).attemptsLeftToday).toBe(perDay - 1);
    await page
      .locator('[data-testid="quiz-attempts"]:visible')
      .filter({ hasText: `今日已答 1 次，还可作答 ${perDay - 1} 次` })
      .waitFor();
    const questions = await questionTexts(page);
    expect(questions).toHaveLength(7);

    // (a) Answering down to question 5: the clock is in sight all the while, by the server's deadline.
    for (let qi = 0; qi < 5; qi++) await page.locator(`[data-testid="quiz-option-${qi}-0"]:visible`).click();
    await page
      .locator('[data-testid="quiz-progress"]:visible')
      .filter({ hasText: /已答 5\/7 · 剩余时间 [45]:\d\d/ })
      .waitFor();
    const question5 = await inView(page, '[data-testid="quiz-option-4-0"]');
    const clock = await inView(page, '[data-testid="quiz-countdown"]');
    expect(await page.getByTestId('quiz-countdown').getAttribute('role')).toBe('timer');
    // Not read out each second: the live region is quiet until 1 minute is left.
    expect(await page.getByTestId('quiz-time-announcement').innerText()).toBe('');
    // The bar sits below question 5, not over it.
    expect(question5.y + question5.height).toBeLessThanOrEqual(clock.y);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-timed-375.png') });

    // (b) The title bar's back asks first, and says what is true: the clock goes on, and until when one may come back.
    const deadline = (await stack.bff.call('getOpenQuizAttempt', { params: { id: quizId } }, { token: me.token })).body.attempt.deadline;
    const hhmm = new Date(Date.parse(deadline) + 8 * 3_600_000).toISOString().slice(11, 16);
    await page.locator('.taro-navigation-bar-back').click();
    const modal = page.locator('.taro-modal__content:visible');
    await modal.filter({ hasText: `答题尚未提交，离开后本次作答计时继续，可在 ${hhmm} 前回来继续` }).waitFor();
    await page.waitForTimeout(300); // the dialog fades in
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-leave-375.png') });
    await modal.locator('.taro-model__cancel').click();
    // Staying: still answering, the answers as they were.
    await page.locator('[data-testid="quiz-question-0"]:visible').waitFor();
    expect(await chosenOptions(page)).toEqual(['quiz-option-0-0', 'quiz-option-1-0', 'quiz-option-2-0', 'quiz-option-3-0', 'quiz-option-4-0']);
    // The browser's back asks too; leaving this time.
    await page.evaluate(() => window.history.back());
    await modal.waitFor();
    await modal.locator('.taro-model__confirm').click();
    await page.getByTestId('activity-title').filter({ hasText: '反诈知识周赛（限时）' }).waitFor();
    await page.locator('[data-testid="quiz-question-0"]:visible').waitFor({ state: 'detached' });

    // Coming back a minute later resumes the same attempt where the customer was, with the answers kept and no attempt used.
    stack.bff.clock.advance(60_000);
    await page.locator('[data-testid="activity-quiz"]:visible').click();
    await page.locator('[data-testid="quiz-question-0"]:visible').waitFor();
    expect(await questionTexts(page)).toEqual(questions);
    expect(await chosenOptions(page)).toEqual(['quiz-option-0-0', 'quiz-option-1-0', 'quiz-option-2-0', 'quiz-option-3-0', 'quiz-option-4-0']);
    await page
      .locator('[data-testid="quiz-progress"]:visible')
      .filter({ hasText: /已答 5\/7 · 剩余时间 [34]:\d\d/ })
      .waitFor();
    await inView(page, '[data-testid="quiz-question-4"] .quiz-page__text');
    await inView(page, '[data-testid="quiz-countdown"]');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-resumed-375.png') });
    expect((await serverQuiz()).attemptsLeftToday).toBe(perDay - 1);
    await page
      .locator('[data-testid="quiz-attempts"]:visible')
      .filter({ hasText: `今日已答 1 次，还可作答 ${perDay - 1} 次` })
      .waitFor();

    // (c) Passing: the head still counts today's attempts, as the server does, and after a reload too.
    for (const qi of [5, 6]) await page.locator(`[data-testid="quiz-option-${qi}-0"]:visible`).click();
    await page.locator('[data-testid="quiz-submit"]:visible').click();
    await page.locator('[data-testid="quiz-result"]:visible').filter({ hasText: '恭喜通过！已获得 30 积分' }).waitFor();
    await page.locator('[data-testid="quiz-attempts"]:visible').filter({ hasText: '您已通过' }).filter({ hasText: '今日已答 1 次' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-passed-375.png') });
    // Nothing left running: leaving asks nothing.
    await page.locator('[data-testid="quiz-back"]:visible').click();
    await page.getByTestId('activity-title').filter({ hasText: '反诈知识周赛（限时）' }).waitFor();
    expect(await page.locator('.taro-modal__content:visible').count()).toBe(0);
    await page.goto(`${stack.url}/?openid=${openid}#/packages/activity/quiz-bank/index?id=${quizId}`);
    await page.locator('[data-testid="quiz-attempts"]:visible').filter({ hasText: '您已通过' }).filter({ hasText: '今日已答 1 次' }).waitFor();
    await page.context().close();
  });

  test('at 320×568 the clock stays in sight and the bar covers nothing; 1 minute left is announced; an attempt left to run out is said to be over', async () => {
    const quizId = await weeklyQuiz('E2E-SMALL');
    const openid = `o_qbs_${Date.now()}`;
    const page = await stack.open(openid, `/packages/activity/detail/index?id=${quizId}`, SMALL_PHONE);
    const me = await signIn(stack.bff, openid);
    await page.locator('[data-testid="activity-quiz"]:visible').click();
    await page.locator('[data-testid="quiz-question-0"]:visible').waitFor();
    for (let qi = 0; qi < 5; qi++) await page.locator(`[data-testid="quiz-option-${qi}-0"]:visible`).click();
    const question5 = await inView(page, '[data-testid="quiz-option-4-0"]');
    const clock = await inView(page, '[data-testid="quiz-countdown"]');
    expect(question5.y + question5.height).toBeLessThanOrEqual(clock.y);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-timed-320.png') });
    // Scrolled to the end, the last option and the bar do not overlap.
    await page.getByTestId('quiz-option-6-2').evaluate((el) => {
      // To the end of whatever scrolls the page (the window, or the H5 page's own container).
      for (let node: Element | null = el; node; node = node.parentElement) if (node.scrollHeight > node.clientHeight + 1) node.scrollTop = node.scrollHeight;
      window.scrollTo(0, document.documentElement.scrollHeight);
    });
    await page.waitForTimeout(200);
    const last = await page.locator('[data-testid="quiz-option-6-2"]').boundingBox();
    const bar = await page.locator('.quiz-page__bar').boundingBox();
    expect(last!.y + last!.height).toBeLessThanOrEqual(bar!.y);
    await inView(page, '[data-testid="quiz-submit"]');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-timed-320-end.png') });

    // Away until 65 s are left by the server's clock (the phone's is not moved): back, the clock says so, and at 1 minute it is announced.
    await page.evaluate(() => window.history.back());
    await page.locator('.taro-modal__content:visible .taro-model__confirm').click();
    await page.getByTestId('activity-title').waitFor();
    stack.bff.clock.advance(235_000);
    await page.locator('[data-testid="activity-quiz"]:visible').click();
    await page
      .locator('[data-testid="quiz-countdown"]:visible')
      .filter({ hasText: /剩余时间 1:0\d/ })
      .waitFor();
    expect(await chosenOptions(page)).toHaveLength(5);
    await page.getByTestId('quiz-time-announcement').filter({ hasText: '答题剩余 1 分钟' }).waitFor({ timeout: 15_000 });

    // Away past the deadline: the attempt is over, said so, and what the rules give next.
    await page.evaluate(() => window.history.back());
    await page.locator('.taro-modal__content:visible .taro-model__confirm').click();
    await page.getByTestId('activity-title').waitFor();
    stack.bff.clock.advance(120_000);
    const left = (await stack.bff.call('getMyQuiz', { params: { id: quizId } }, { token: me.token })).body.attemptsLeftToday;
    await page.locator('[data-testid="activity-quiz"]:visible').click();
    await page.locator('[data-testid="quiz-timed-out"]:visible').filter({ hasText: '本次作答已超时' }).waitFor();
    await page
      .locator('[data-testid="quiz-attempts"]:visible')
      .filter({ hasText: `还可作答 ${left} 次` })
      .waitFor();
    await page.locator('[data-testid="quiz-start"]:visible').filter({ hasText: '重新开始答题' }).waitFor();
    await inView(page, '[data-testid="quiz-timed-out"]');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-bank-timed-out-320.png') });
    await page.context().close();
  });
});
