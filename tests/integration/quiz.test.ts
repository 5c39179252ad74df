import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
let quizId: string;

const QUESTIONS = [
  { text: '存款保险的最高偿付限额是多少？', options: ['20 万元', '50 万元', '100 万元'], answerIndex: 1 },
  { text: '银行工作人员会索要短信验证码吗？', options: ['会', '不会'], answerIndex: 1 },
  { text: '理财产品的过往业绩是否代表未来收益？', options: ['是', '否'], answerIndex: 1 },
];

beforeAll(async () => {
  bff = await startBff('quiz');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  quizId = await publishActivity(bff, tokens, activityInput(bff, { title: '金融知识答题', type: 'quiz', reward: { kind: 'points', amount: 20 }, settings: { questions: QUESTIONS, passScore: 2 } }));
  await publishActivity(bff, tokens, activityInput(bff, { title: '答题任务', type: 'task', reward: { kind: 'points', amount: 5 }, settings: { task: 'quiz', frequency: 'daily' } }));
});
afterAll(() => bff.stop());

const balance = async (token: string) => (await bff.request('GET', '/api/v1/me/points', { token })).body.balance as number;
const answer = (token: string, answers: number[]) => bff.request('POST', `/api/v1/activities/${quizId}/quiz/answers`, { token, body: { answers } });

describe('quiz (答题)', () => {
  test('questions come without answers; grading is on the server; passing pays the quiz and the quiz task once', async () => {
    const c = await customerSession(bff);
    const quiz = (await bff.request('GET', `/api/v1/activities/${quizId}/quiz`, { token: c.token })).body;
    expect(quiz).toMatchObject({ passScore: 2, passed: false, attemptsLeftToday: 3, reward: { kind: 'points', amount: 20 } });
    expect(JSON.stringify(quiz)).not.toContain('answerIndex');
    // A quiz is not joined: the reward is for passing.
    expect((await bff.request('POST', `/api/v1/activities/${quizId}/join`, { token: c.token })).body.code).toBe('ACTIVITY_NOT_JOINABLE');

    const failed = await answer(c.token, [0, 0, 1]);
    // Which answers were wrong, but not what the right ones are: that waits for a pass.
    expect(failed.body).toEqual({ score: 1, total: 3, passScore: 2, passed: false, practice: false, attemptsLeftToday: 2, correct: [false, false, true], answerKey: null, rewarded: false });
    expect(await balance(c.token)).toBe(0);

    const passed = await answer(c.token, [1, 1, 0]);
    expect(passed.body).toEqual({ score: 2, total: 3, passScore: 2, passed: true, practice: false, attemptsLeftToday: 1, correct: [true, true, false], answerKey: [1, 1, 1], rewarded: true });
    expect(await balance(c.token)).toBe(20 + 5);
    // Passing again pays nothing more, and uses no attempt.
    const again = await answer(c.token, [1, 1, 1]);
    expect(again.body).toMatchObject({ passed: true, practice: true, rewarded: false, attemptsLeftToday: 1 });
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
    expect((await bff.request('GET', `/api/v1/activities/${quizId}/quiz`, { token: fresh.token })).body.attemptsLeftToday).toBe(3);
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
    const res = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff, { type: 'quiz', settings: { questions: QUESTIONS.slice(0, 1), passScore: 2 } }) });
    // A rule across fields: the request has the documented shape, so 422.
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_RULE_FAILED');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('body.settings.passScore');
  });
});
