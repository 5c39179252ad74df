import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { letteredOptions, type QuestionOption } from '../../shared/contracts/quiz-bank';

// Issue 30, finding 1: the right answer was an option's position, so removing the first option moved it onto another.
const RIGHT = '挂断并拨打110核实';
const WRONG = '告诉对方验证码';
const OPTIONS = letteredOptions(['回拨对方号码', RIGHT, WRONG]);

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
beforeAll(async () => {
  bff = await startBff('quizanswers');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

/** The texts of the right options of a stored document, read through the admin API as the console reads it. */
const rightTexts = (doc: { options: QuestionOption[]; answer: string[] | string }) => doc.options.filter((o) => [doc.answer].flat().includes(o.id)).map((o) => o.text);
/** The options as the console sends them after an edit: the same ids, the first removed, the rest in reverse. */
const editedOptions = (options: QuestionOption[]) => options.slice(1).reverse();

const createQuestion = (body: Record<string, unknown>) => bff.request('POST', '/api/v1/admin/quiz/questions', { token: tokens.admin, body });
async function approveQuestion(id: string) {
  expect((await bff.call('submitQuizQuestion', { params: { id } }, { token: tokens.admin })).status).toBe(200);
  expect((await bff.call('approveQuizQuestion', { params: { id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
}

describe('a question’s right answer follows its option (issue 30)', () => {
  test('a bank question: removing the first option and reordering the rest keeps the same right answer, for the reviewer and the customer', async () => {
    const row = {
      code: 'ANS-BANK-1',
      type: 'question',
      orgUnitId: 'org-hq',
      bank: 'ANSWERS',
      format: 'single',
      text: '陌生来电自称客服，要求提供验证码，应该怎么做？',
      options: OPTIONS,
      answer: ['B'],
      explanation: '验证码只属于您自己。',
    };
    const created = await createQuestion(row);
    expect(created.status).toBe(201);
    const id = created.body.id;
    await approveQuestion(id);

    // As the console saves an edit: the whole question, its options carrying their ids.
    const updated = await bff.request('PUT', `/api/v1/admin/quiz/questions/${id}`, { token: tokens.admin, body: { ...row, options: editedOptions(OPTIONS) } });
    expect(updated.status).toBe(200);
    const doc = (await bff.call('getQuizQuestion', { params: { id } }, { token: tokens.admin })).body;
    expect(doc.working.options.map((o: QuestionOption) => o.text)).toEqual([WRONG, RIGHT]);
    expect(rightTexts(doc.working)).toEqual([RIGHT]);
    expect(rightTexts(doc.live)).toEqual([RIGHT]);
    await approveQuestion(id);

    // A customer sees the options as edited, answers by position, and the result names the same right option.
    const now = bff.clock.now().getTime();
    const quizId = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'quiz',
        title: '验证码防骗题',
        schedule: { startAt: new Date(now - 3_600_000).toISOString(), endAt: new Date(now + 86_400_000).toISOString() },
        settings: { bank: { codes: ['ANSWERS'], count: 1, timeLimitSeconds: 60 }, passScore: 1 },
      }),
    );
    const c = await customerSession(bff);
    const attempt = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    expect(attempt.questions[0].options).toEqual([WRONG, RIGHT]);
    const result = await bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: attempt.attemptId }, body: { answers: [[1]] } }, { token: c.token });
    expect(result.body).toMatchObject({ score: 1, passed: true });
    const [review] = result.body.review;
    expect(review.answer.map((i: number) => review.options[i])).toEqual([RIGHT]);
  });

  test('a stale positional answer is refused, and an answer naming no option says so in Chinese', async () => {
    const row = { code: 'ANS-BANK-2', type: 'question', orgUnitId: 'org-hq', bank: 'ANSWERS2', format: 'single', text: '题目', options: OPTIONS, explanation: '解析' };
    const positional = await createQuestion({ ...row, answer: [1] });
    expect(positional.status).toBe(400);
    const missing = await createQuestion({ ...row, options: editedOptions(OPTIONS), answer: ['A'] });
    expect(missing.status).toBe(422);
    expect(missing.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.answer', message: '正确答案须是选项之一' })]));
  });

  test('a question written into a quiz: the edited options keep the right answer; the customer’s key points at it', async () => {
    const question = { text: '陌生来电自称客服，要求提供验证码，应该怎么做？', options: OPTIONS, answer: 'B', explanation: '验证码只属于您自己。' };
    const settings = { questions: [question], passScore: 1, safety: true };
    const input = activityInput(bff, { type: 'quiz', title: '防骗一题', settings });
    const id = await publishActivity(bff, tokens, input);
    const edited = { ...input, settings: { ...settings, questions: [{ ...question, options: editedOptions(OPTIONS) }] } };
    expect((await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: tokens.admin, body: edited })).status).toBe(200);
    const doc = (await bff.call('getActivity', { params: { id } }, { token: tokens.admin })).body;
    expect(rightTexts(doc.working.settings.questions[0])).toEqual([RIGHT]);
    expect((await bff.call('submitActivity', { params: { id } }, { token: tokens.admin })).status).toBe(200);
    expect((await bff.call('approveActivity', { params: { id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);

    const c = await customerSession(bff);
    const quiz = (await bff.call('getMyQuiz', { params: { id } }, { token: c.token })).body;
    expect(quiz.questions[0].options).toEqual([WRONG, RIGHT]);
    const wrong = (await bff.call('answerMyQuiz', { params: { id }, body: { answers: [0] } }, { token: c.token })).body;
    expect(wrong).toMatchObject({ score: 0, correct: [false] });
    expect(quiz.questions[0].options[wrong.answerKey[0]]).toBe(RIGHT);
    expect((await bff.call('answerMyQuiz', { params: { id }, body: { answers: [1] } }, { token: c.token })).body).toMatchObject({ score: 1, passed: true });
  });

  test('a CSV row names its options A, B, C… in order and its right answers by letter', async () => {
    const csv = [
      'code,type,orgUnitId,bank,format,text,options,answer,explanation',
      `ANS-CSV-1,question,org-hq,ANSCSV,single,题目一,"[""回拨对方号码"",""${RIGHT}"",""${WRONG}""]",B,解析一`,
      'ANS-CSV-2,question,org-hq,ANSCSV,multiple,题目二,"[""验证码"",""网点地址"",""密码""]",AC,解析二',
    ].join('\n');
    const res = await bff.request('POST', '/api/v1/admin/quiz/questions/bulk-csv', { token: tokens.admin, rawBody: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(res.body).toMatchObject({ created: 2 });
    const list = (await bff.call('listQuizQuestions', { query: { q: 'ANS-CSV', pageSize: '50' } }, { token: tokens.admin })).body.items;
    const byCode = Object.fromEntries(list.map((d: { code: string; working: { options: QuestionOption[]; answer: string[] } }) => [d.code, d.working]));
    expect(byCode['ANS-CSV-1'].options).toEqual(OPTIONS);
    expect(rightTexts(byCode['ANS-CSV-1'])).toEqual([RIGHT]);
    expect(rightTexts(byCode['ANS-CSV-2'])).toEqual(['验证码', '密码']);
  });
});
