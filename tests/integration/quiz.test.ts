import { startBff, type TestBff } from '../helpers/bff';
import { drainFeed } from '../helpers/feed';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { drawInput } from '../helpers/draws';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
let quizId: string;

const QUESTIONS = [
  { text: '存款保险的最高偿付限额是多少？', options: letteredOptions(['20 万元', '50 万元', '100 万元']), answer: 'B' },
  { text: '银行工作人员会索要短信验证码吗？', options: letteredOptions(['会', '不会']), answer: 'B' },
  { text: '理财产品的过往业绩是否代表未来收益？', options: letteredOptions(['是', '否']), answer: 'B' },
];

beforeAll(async () => {
  bff = await startBff('quiz');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  quizId = await publishActivity(
    bff,
    tokens,
    activityInput(bff, { title: '金融知识答题', type: 'quiz', reward: { kind: 'points', amount: 20 }, settings: { questions: QUESTIONS, passScore: 2 } }),
  );
  await publishActivity(
    bff,
    tokens,
    activityInput(bff, { title: '答题任务', type: 'task', reward: { kind: 'points', amount: 5 }, settings: { task: 'quiz', frequency: 'daily' } }),
  );
});
afterAll(() => bff.stop());

const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;
const answer = (token: string, answers: number[]) => bff.call('answerMyQuiz', { params: { id: quizId }, body: { answers } }, { token });

describe('quiz (答题)', () => {
  test('questions come without answers; grading is on the server; passing pays the quiz and the quiz task once', async () => {
    const c = await customerSession(bff);
    const quiz = (await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token })).body;
    expect(quiz).toMatchObject({ passScore: 2, passed: false, attemptsLeftToday: 3, reward: { kind: 'points', amount: 20 } });
    expect(JSON.stringify(quiz)).not.toContain('"answer');
    // A quiz is not joined: the reward is for passing.
    expect((await bff.call('joinActivity', { params: { id: quizId } }, { token: c.token })).body.code).toBe('ACTIVITY_NOT_JOINABLE');

    const failed = await answer(c.token, [0, 0, 1]);
    // The score only: which answers were right would give away the key of a two-option question (issue 26, finding 7).
    expect(failed.body).toEqual({
      score: 1,
      total: 3,
      passScore: 2,
      passed: false,
      practice: false,
      attemptsLeftToday: 2,
      correct: null,
      answerKey: null,
      explanations: null,
      rewarded: false,
      rewardState: 'none',
    });
    expect(await balance(c.token)).toBe(0);

    const passed = await answer(c.token, [1, 1, 0]);
    expect(passed.body).toEqual({
      score: 2,
      total: 3,
      passScore: 2,
      passed: true,
      practice: false,
      attemptsLeftToday: 1,
      correct: [true, true, false],
      answerKey: [1, 1, 1],
      explanations: [null, null, null],
      rewarded: true,
      rewardState: 'issued',
    });
    // The quiz task is completed from the event feed, after the answer.
    await drainFeed(bff);
    expect(await balance(c.token)).toBe(20 + 5);
    // Passing again pays nothing more, and uses no attempt.
    const again = await answer(c.token, [1, 1, 1]);
    expect(again.body).toMatchObject({ passed: true, practice: true, rewarded: false, rewardState: 'issued', attemptsLeftToday: 1 });
    // A wrong attempt after the pass says what it scored: it is practice, not a pass.
    const wrong = await answer(c.token, [0, 0, 0]);
    expect(wrong.body).toMatchObject({ score: 0, passed: false, practice: true, correct: [false, false, false], answerKey: [1, 1, 1], rewarded: false, attemptsLeftToday: 1 });
    expect(await balance(c.token)).toBe(25);
  });

  test('attempts per day are capped, even when sent at once; a wrong number of answers is a clear error', async () => {
    const c = await customerSession(bff);
    const wrongCount = await answer(c.token, [1]);
    expect(wrongCount.status).toBe(422);
    expect(wrongCount.body).toMatchObject({ code: 'QUIZ_ANSWERS_INCOMPLETE', message: '请回答全部 3 道题' });
    const results = await Promise.all(Array.from({ length: 6 }, () => answer(c.token, [0, 0, 0])));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'QUIZ_ATTEMPTS_EXHAUSTED')).toBe(true);
    // A new day in Shanghai brings new attempts.
    bff.clock.advance(24 * 60 * 60 * 1000);
    const fresh = await customerSession(bff);
    expect((await bff.call('getMyQuiz', { params: { id: quizId } }, { token: fresh.token })).body.attemptsLeftToday).toBe(3);
  });

  test('answers are capped per customer a minute, so a passed quiz cannot be used to probe the answers', async () => {
    const c = await customerSession(bff);
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await answer(c.token, i === 0 ? [1, 1, 1] : [i % 2, 0, 1])).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true); // QUIZ_ATTEMPTS_PER_DAY does not apply once passed
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test('a quiz whose pass mark exceeds its questions is refused at upload', async () => {
    const admin = await staffToken(bff, 'admin'); // the clock moved a day
    const res = await bff.request('POST', '/api/v1/admin/activities', {
      token: admin,
      body: activityInput(bff, { type: 'quiz', settings: { questions: QUESTIONS.slice(0, 1), passScore: 2 } }),
    });
    // A rule across fields: the request has the documented shape, so 422.
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_RULE_FAILED');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('body.settings.passScore');
  });

  test('a failed attempt of a quiz of true/false questions tells the score, not which answers were right', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }; // the clock moved a day
    const c = await customerSession(bff);
    const TWO = ['A', 'B', 'A', 'B'].map((answer, i) => ({ text: `判断题 ${i + 1}`, options: letteredOptions(['对', '错']), answer }));
    const id = await publishActivity(
      bff,
      tokens,
      activityInput(bff, { type: 'quiz', title: '判断题答题', reward: { kind: 'points', amount: 1 }, settings: { questions: TWO, passScore: 4 } }),
    );
    const res = await bff.call('answerMyQuiz', { params: { id }, body: { answers: [0, 0, 0, 0] } }, { token: c.token });
    expect(res.body).toMatchObject({ score: 2, passed: false, correct: null, answerKey: null, explanations: null });
  });

  test('a safety quiz shows the right answers and why after every submission, a failed one first of all', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const c = await customerSession(bff);
    const questions = [
      {
        text: '陌生人要求转账到“安全账户”，应该怎么做？',
        options: letteredOptions(['按要求转账', '挂断电话，拨打 110 核实']),
        answer: 'B',
        explanation: '公检法机关没有“安全账户”。',
      },
      { text: '银行会索要短信验证码吗？', options: letteredOptions(['会', '不会']), answer: 'B' },
    ];
    const input = activityInput(bff, { type: 'quiz', title: '反诈答题', reward: { kind: 'points', amount: 1 }, settings: { questions, passScore: 2, safety: true } });
    const id = await publishActivity(bff, tokens, input);
    const res = await bff.call('answerMyQuiz', { params: { id }, body: { answers: [0, 1] } }, { token: c.token });
    expect(res.body).toMatchObject({ score: 1, passed: false, correct: [false, true], answerKey: [1, 1], explanations: ['公检法机关没有“安全账户”。', null] });
  });
});

// Issue 26, findings 3 and 4: a reward that cannot be paid is refused up front; an empty budget is an outcome.
describe('a quiz’s reward, from configuration to payment', () => {
  const quizWith = (reward: Record<string, unknown>, budget: Record<string, unknown> = { maxRewards: 100 }) =>
    activityInput(bff, { type: 'quiz', title: '答题赢抽奖', reward, budget, settings: { questions: QUESTIONS, passScore: 2 } });
  const submit = async (input: Record<string, unknown>) => {
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, submitted: await bff.call('submitActivity', { params: { id: created.body.id } }, { token: tokens.admin }) };
  };

  test('draw chances for a draw that does not exist, or for no draw, are refused at submission', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    for (const reward of [
      { kind: 'draw_chance', count: 3, drawCode: 'NO-SUCH-DRAW' },
      { kind: 'draw_chance', count: 3 },
    ]) {
      const { submitted } = await submit(quizWith(reward));
      expect(submitted.status).toBe(422);
      expect(submitted.body.code).toBe('VALIDATION_RULE_FAILED');
      expect(submitted.body.issues.map((i: { path: string }) => i.path)).toContain('reward.drawCode');
    }
  });

  test('draw chances for a draw withdrawn after submission are refused at approval; a pass after the draw is gone pays nothing and takes nothing from the budget', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const draw = drawInput(bff);
    const drawId = await publishActivity(bff, tokens, draw);
    const { id, submitted } = await submit(quizWith({ kind: 'draw_chance', count: 3, drawCode: draw.code }));
    expect(submitted.status).toBe(200);
    expect((await bff.call('withdrawActivity', { params: { id: drawId }, body: { reason: '活动取消' } }, { token: tokens.admin })).status).toBe(200);
    const approval = await bff.call('approveActivity', { params: { id }, body: {} }, { token: tokens.reviewer });
    expect(approval.status).toBe(422);
    expect(approval.body.issues.map((i: { path: string }) => i.path)).toContain('reward.drawCode');

    // Approved while its draw was live, then the draw is withdrawn: passing is an outcome, not an error, and nothing is paid into nothing.
    const draw2 = drawInput(bff);
    const draw2Id = await publishActivity(bff, tokens, draw2);
    const quiz2 = await publishActivity(bff, tokens, quizWith({ kind: 'draw_chance', count: 3, drawCode: draw2.code }));
    expect((await bff.call('withdrawActivity', { params: { id: draw2Id }, body: { reason: '活动取消' } }, { token: tokens.admin })).status).toBe(200);
    const c = await customerSession(bff);
    const passed = await bff.call('answerMyQuiz', { params: { id: quiz2 }, body: { answers: [1, 1, 1] } }, { token: c.token });
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ passed: true, rewarded: false, rewardState: 'unavailable' });
    expect(await bff.app.services.capabilities.rewards.engine.budgetUsage(quiz2)).toEqual({ issued: 0, points: 0 });
    expect((await bff.call('checkInvariants', { query: { activityId: quiz2 } }, { token: tokens.reviewer })).body.violations).toEqual([]);
  });

  test('chances paid into a draw that is not there are reported by the books', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const draw = drawInput(bff);
    const drawId = await publishActivity(bff, tokens, draw);
    const quiz = await publishActivity(bff, tokens, quizWith({ kind: 'draw_chance', count: 3, drawCode: draw.code }));
    const c = await customerSession(bff);
    expect((await bff.call('answerMyQuiz', { params: { id: quiz }, body: { answers: [1, 1, 1] } }, { token: c.token })).body).toMatchObject({
      rewarded: true,
      rewardState: 'issued',
    });
    expect((await bff.call('getMyDraw', { params: { id: drawId } }, { token: c.token })).body.chances).toBe(3);
    const books = async () => (await bff.call('checkInvariants', { query: { activityId: quiz } }, { token: tokens.reviewer })).body.violations as string[];
    expect(await books()).toEqual([]);
    // The draw's code no longer names a draw: what a pass into a draw code that did not exist left behind.
    await bff.db.collection('activity_codes').deleteOne({ _id: draw.code as never });
    expect(await books()).toEqual([expect.stringContaining(`3 draw chances for ${draw.code} not credited`)]);
  });

  test('passing after the budget is spent: graded and answered 通过，奖励已发完, and the books hold that outcome', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const quiz = await publishActivity(bff, tokens, quizWith({ kind: 'points', amount: 20 }, { maxRewards: 1 }));
    const [first, second] = [await customerSession(bff), await customerSession(bff)];
    const pass = (token: string) => bff.call('answerMyQuiz', { params: { id: quiz }, body: { answers: [1, 1, 1] } }, { token });
    expect((await pass(first.token)).body).toMatchObject({ passed: true, rewarded: true, rewardState: 'issued' });
    const late = await pass(second.token);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ score: 3, passed: true, practice: false, rewarded: false, rewardState: 'exhausted', answerKey: [1, 1, 1] });
    expect((await bff.call('getMyQuiz', { params: { id: quiz } }, { token: second.token })).body).toMatchObject({ passed: true });
    expect((await pass(second.token)).body).toMatchObject({ practice: true, rewardState: 'exhausted' });
    const books = async () => (await bff.call('checkInvariants', { query: { activityId: quiz } }, { token: tokens.reviewer })).body.violations as string[];
    expect(await books()).toEqual([]);
    // A pass whose reward was neither paid nor refused (what the 409 left behind) is reported.
    await bff.db.collection('reward_refused').deleteMany({ activityId: quiz });
    expect(await books()).toEqual([`pass of ${second.id}: its reward was neither paid nor refused`]);
  });
});
