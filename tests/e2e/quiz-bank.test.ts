import path from 'node:path';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';

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
        options: ['正确', '错误'],
        answer: [0],
        explanation: '任何索要验证码的都是骗子。',
      },
      {
        code: 'E2E-M-1',
        type: 'question',
        orgUnitId: 'org-hq',
        bank: 'E2E',
        format: 'multiple',
        text: '哪些不能告诉他人？',
        options: ['验证码', '网点地址', '密码'],
        answer: [0, 2],
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
    await page.locator('[data-testid="quiz-rules"]:visible').filter({ hasText: '您已通过' }).waitFor();

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
});
