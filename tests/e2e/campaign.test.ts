import path from 'node:path';
import type { TestBff } from '../helpers/bff';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput } from '../helpers/activities';
import { drawInput } from '../helpers/draws';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let stack: H5Stack;
let bff: TestBff;

beforeAll(async () => {
  stack = await startH5Stack('e2ecampaign');
  bff = stack.bff;
  await seedDemo(bff);
}, 240_000);
afterAll(() => stack?.stop());

const openAs = (openid: string, hash: string) => stack.open(openid, hash);

describe('campaign, from upload to a customer’s phone', () => {
  test('an admin’s uploaded and reviewed quiz appears on 首页; the customer passes it and sees the points in 我的', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    const upload = await bff.call(
      'bulkUploadActivities',
      {
        body: {
          items: [
            activityInput(bff, {
              code: 'E2E-DEC-QUIZ',
              title: '年终理财知识答题',
              type: 'quiz',
              reward: { kind: 'points', amount: 20 },
              settings: { questions: [{ text: '存款保险的最高偿付额是多少？', options: letteredOptions(['50万元', '100万元']), answer: 'A' }], passScore: 1 },
            }),
          ],
        },
      },
      { token: admin },
    );
    expect(upload.body).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    const id = (await bff.call('listActivities', undefined, { token: admin })).body.items[0].id;

    // Before review the customer sees nothing.
    const page = await openAs('o_demo_customer_01', '/pages/index/index');
    await page.getByText('暂无进行中的活动，敬请期待').waitFor();

    await bff.call('submitActivity', { params: { id } }, { token: admin });
    await bff.call('approveActivity', { params: { id }, body: { reason: '消保审核通过' } }, { token: reviewer });

    await page.reload();
    const card = page.getByTestId('activity-card').filter({ hasText: '年终理财知识答题' });
    await card.waitFor();
    await expect(card.innerText()).resolves.toContain('完成得 20 积分');
    await expect(page.getByTestId('banner-slide').filter({ hasText: '年终理财知识答题' }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-with-activity.png') });

    await card.click();
    await page.getByTestId('activity-title').filter({ hasText: '年终理财知识答题' }).waitFor();
    await page.getByTestId('activity-quiz').click();
    await page.getByTestId('quiz-option-0-1').click();
    await page.getByTestId('quiz-submit').click();
    await page.getByTestId('quiz-result').filter({ hasText: '答对 0/1 题，未达到 1 题' }).waitFor();
    // Before a pass, the score only: no right-or-wrong flag per question, which would give a true/false question's key away.
    await page.getByTestId('quiz-review-0').filter({ hasText: '您的答案' }).waitFor();
    await expect(page.getByTestId('quiz-review-0').innerText()).resolves.not.toContain('回答错误');
    await expect(page.getByTestId('quiz-key-0').count()).resolves.toBe(0);
    await page.getByTestId('quiz-again').click();
    await page.getByTestId('quiz-option-0-0').click();
    await page.getByTestId('quiz-submit').click();
    await page.getByTestId('quiz-result').filter({ hasText: '恭喜通过！已获得 20 积分' }).waitFor();
    // The result is in view, not below the questions.
    const box = await page.getByTestId('quiz-result').boundingBox();
    expect(box!.y + box!.height).toBeLessThan(page.viewportSize()!.height);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-passed.png') });

    // Answering again after the pass is practice: an all-wrong attempt says so, and shows the right answer.
    await page.getByTestId('quiz-again').click();
    await page.getByTestId('quiz-attempts').filter({ hasText: '您已通过，可继续练习' }).waitFor();
    await page.getByTestId('quiz-option-0-1').click();
    await page.getByTestId('quiz-submit').click();
    const practice = page.getByTestId('quiz-result');
    await practice.filter({ hasText: '练习：答对 0/1 题，未达到 1 题' }).waitFor();
    await expect(practice.innerText()).resolves.not.toContain('恭喜通过');
    await page.getByTestId('quiz-key-0').filter({ hasText: '正确答案：A. 50万元' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'quiz-practice.png') });

    await page.goto(`${stack.url}/?openid=o_demo_customer_01#/pages/me/index`);
    await page.reload(); // a clean render of 我的, without the page transition in the screenshot
    await page.getByTestId('me-points').filter({ hasText: '20' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'me-with-points.png') });
    await page.getByTestId('me-entry-points').click();
    const entry = page.getByTestId('points-entry').filter({ hasText: '答题通过：年终理财知识答题' }).filter({ hasText: '+20' });
    // Each entry with its time, the balance it left and, for points earned, when they expire.
    await entry.getByTestId('points-entry-balance').filter({ hasText: '余额 20' }).waitFor();
    await expect(entry.getByTestId('points-entry-at').innerText()).resolves.toMatch(/\d{1,2}:\d{2}$/);
    await expect(entry.getByTestId('points-entry-expiry').innerText()).resolves.toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 到期$/);
    // Income and spending apart: a quiz reward is income.
    await page.getByTestId('points-tab-out').click();
    await page.getByTestId('points-empty').waitFor();
    await page.getByTestId('points-tab-in').click();
    await page.getByTestId('points-entry').filter({ hasText: '答题通过：年终理财知识答题' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'points-statement.png') });
    await page.context().close();
  });

  test('不感兴趣 removes the activity from the customer’s 首页', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff, { title: '信用卡分期优惠', priority: 100 }) });
    await bff.call('submitActivity', { params: { id: created.body.id } }, { token: admin });
    await bff.call('approveActivity', { params: { id: created.body.id }, body: {} }, { token: reviewer });

    const page = await openAs('o_demo_customer_02', `/packages/activity/detail/index?id=${created.body.id}`);
    await page.getByTestId('activity-title').waitFor();
    await page.locator('.activity-page__dismiss').click();
    // The dismissal is saved before 首页 is opened: leaving at once could cut its request short.
    const saved = page.waitForResponse((r) => r.url().includes(`/activities/${created.body.id}/dismiss`) && r.request().method() === 'POST');
    await page.getByText('不感兴趣', { exact: true }).last().click();
    expect((await saved).status()).toBe(204);
    // A browser with nothing cached shows what is on offer for everyone while it signs in (dismissals are the customer's,
    // unknown before sign-in); the customer's own 首页 replaces it without the dismissed activity.
    const feed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/activities' && r.request().method() === 'GET');
    await page.goto(`${stack.url}/?openid=o_demo_customer_02#/pages/index/index`);
    expect((await feed).status()).toBe(200);
    await page.getByTestId('activity-card').first().waitFor();
    await page.getByTestId('activity-card').filter({ hasText: '信用卡分期优惠' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('activity-card').filter({ hasText: '信用卡分期优惠' }).count()).toBe(0);
    await page.context().close();
  });

  test('任务中心 lists a daily “view an activity” task, and opening an activity completes it', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    for (const input of [
      activityInput(bff, { title: '每日逛一逛', type: 'task', reward: { kind: 'points', amount: 3 }, settings: { task: 'view', frequency: 'daily' } }),
      activityInput(bff, { title: '基金定投讲堂', type: 'live', reward: undefined, settings: { roomId: 'room-1', startsAt: new Date().toISOString() } }),
    ]) {
      const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input });
      await bff.call('submitActivity', { params: { id: created.body.id } }, { token: admin });
      await bff.call('approveActivity', { params: { id: created.body.id }, body: {} }, { token: reviewer });
    }
    const page = await openAs(`o_task_${Date.now()}`, '/pages/activities/index');
    const task = page.getByTestId('task-item').filter({ hasText: '每日逛一逛' });
    await task.filter({ hasText: '去完成' }).waitFor();
    await page.getByTestId('activity-card').filter({ hasText: '基金定投讲堂' }).click();
    await page.getByTestId('activity-title').filter({ hasText: '基金定投讲堂' }).waitFor();
    await page.goto(`${stack.url}/#/pages/activities/index`);
    // The view completes the task from the event feed, a moment after the answer: the page shows it when it next loads.
    for (let i = 0; i < 60 && !(await task.filter({ hasText: '已完成' }).count()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await task.first().waitFor();
    }
    await task.filter({ hasText: '已完成' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'task-centre.png') });
    await page.context().close();
  });

  test('a livestream reservation pays its coupon, which 我的奖品 shows; a draw leads to its own page, not to a join that does nothing', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    const publish = async (input: Record<string, unknown>) => {
      const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input });
      await bff.call('submitActivity', { params: { id: created.body.id } }, { token: admin });
      await bff.call('approveActivity', { params: { id: created.body.id }, body: {} }, { token: reviewer });
      return created.body.id as string;
    };
    const live = await publish(activityInput(bff, { title: '跨年理财直播', reward: { kind: 'coupon', name: '理财体验券', validDays: 7 } }));
    const draw = await publish(drawInput(bff, {}, { title: '幸运大转盘' }));
    const page = await openAs(`o_live_${Date.now()}`, `/packages/activity/detail/index?id=${draw}`);
    // A draw's one action is its own page: no join button that does nothing.
    await page.getByTestId('activity-draw').filter({ hasText: '去抽奖' }).waitFor();
    await expect(page.getByTestId('activity-join').count()).resolves.toBe(0);

    await page.goto(`${stack.url}/#/packages/activity/detail/index?id=${live}`);
    await page.getByTestId('activity-join').filter({ hasText: '预约直播' }).click();
    await page.getByText('预约成功，已获得「理财体验券」').waitFor();
    await page.getByTestId('activity-join').filter({ hasText: '已预约' }).waitFor();

    await page.goto(`${stack.url}/#/packages/me/prizes/index`);
    await page.getByTestId('prize-card').filter({ hasText: '理财体验券' }).filter({ hasText: '参与活动：跨年理财直播' }).waitFor();
    await expect(page.getByTestId('prize-card').innerText()).resolves.toContain('前有效');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'prizes.png') });
    await page.context().close();
  });
});
