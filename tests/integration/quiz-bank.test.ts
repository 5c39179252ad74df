import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { bankRows, publishBankQuiz, publishQuestionBank, rightAnswers } from '../helpers/quiz';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
beforeAll(async () => {
  bff = await startBff('quizbank');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());
const publishBank = (bank: string) => publishQuestionBank(bff, tokens, bank);
const bankQuiz = (bank: string, reward?: Record<string, unknown>) => publishBankQuiz(bff, tokens, bank, { reward });

describe('question banks (题库)', () => {
  test('one bad row saves nothing, in JSON and in CSV; the rows are reviewed like activities', async () => {
    const rows = bankRows('BAD');
    const broken = [rows[0], { ...rows[1], answer: ['Z'] }, { ...rows[2], format: 'truefalse' }];
    const res = await bff.call('bulkUploadQuizQuestions', { query: {}, body: { items: broken } }, { token: tokens.admin });
    expect(res.body.code).toBe('BULK_UPLOAD_INVALID');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['items.1.answer', 'items.2.options']));
    const csv = [
      'code,type,orgUnitId,bank,format,text,options,answer,explanation',
      'CSV-1,question,org-hq,CSV,single,题目一,"[""对"",""错""]",A,解析一',
      'CSV-2,question,org-hq,CSV,single,题目二,"[""对"",""错""]",G,解析二',
    ].join('\n');
    const fromCsv = await bff.request('POST', '/api/v1/admin/quiz/questions/bulk-csv', { token: tokens.admin, rawBody: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(fromCsv.body.code).toBe('BULK_UPLOAD_INVALID');
    const list = await bff.call('listQuizQuestions', { query: { pageSize: '200' } }, { token: tokens.admin });
    expect(list.body.items.filter((q: { code: string }) => q.code.startsWith('BAD-') || q.code.startsWith('CSV-'))).toEqual([]);
  });

  test('the banks a quiz can draw from are listed with how many questions each has live; a draft question does not count', async () => {
    await publishBank('LISTED');
    const live = (await bff.call('listQuizBanks', {}, { token: tokens.reviewer })).body.items as { code: string; liveQuestions: number }[];
    const listed = live.find((b) => b.code === 'LISTED');
    expect(listed?.liveQuestions).toBeGreaterThan(0);
    const draft = { ...bankRows('LISTED')[0], code: `LISTED-DRAFT-${Date.now()}` };
    expect((await bff.request('POST', '/api/v1/admin/quiz/questions', { token: tokens.admin, body: draft })).status).toBe(201);
    const again = (await bff.call('listQuizBanks', {}, { token: tokens.admin })).body.items as { code: string; liveQuestions: number }[];
    expect(again.find((b) => b.code === 'LISTED')?.liveQuestions).toBe(listed!.liveQuestions);
    const c = await customerSession(bff);
    expect((await bff.call('listQuizBanks', {}, { token: c.token })).status).toBe(403);
  });

  test('an attempt draws its questions at random from the bank, without answers or explanations; the result has both', async () => {
    await publishBank('FRAUD');
    const quizId = await bankQuiz('FRAUD');
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const c = await customerSession(bff);
      const quiz = await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token });
      expect(quiz.body).toMatchObject({ questions: [], bank: { count: 3, timeLimitSeconds: 60 } });
      const started = await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token });
      expect(started.status).toBe(201);
      expect(started.body.questions).toHaveLength(3);
      expect(new Set(started.body.questions.map((q: { code: string }) => q.code)).size).toBe(3);
      expect(JSON.stringify(started.body)).not.toMatch(/answer|explanation|解析/);
      seen.add(
        started.body.questions
          .map((q: { code: string }) => q.code)
          .sort()
          .join(),
      );
    }
    // Five questions, three per attempt: six attempts all alike would be chance of (1/10)^5.
    expect(seen.size).toBeGreaterThan(1);
  });

  test('right answers pass and pay once; multiple choice needs every right option and no other; the review explains each', async () => {
    await publishBank('DEPOSIT');
    const quizId = await bankQuiz('DEPOSIT');
    const c = await customerSession(bff);
    const first = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    const wrong = first.questions.map((q: { code: string }) => (q.code.endsWith('-M1') ? [0] : [1]));
    const failed = await bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: first.attemptId }, body: { answers: wrong } }, { token: c.token });
    expect(failed.body).toMatchObject({ score: 0, passed: false, rewarded: false });
    expect(failed.body.review.every((r: { explanation: string; correct: boolean }) => r.explanation.startsWith('解析') && !r.correct)).toBe(true);

    const second = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    const passed = await bff.call(
      'submitQuizAttempt',
      { params: { id: quizId, attemptId: second.attemptId }, body: { answers: rightAnswers(second.questions) } },
      { token: c.token },
    );
    expect(passed.body).toMatchObject({ score: 3, total: 3, passed: true, rewarded: true, practice: false });
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(15);
    // After a pass, attempts are practice: no reward again.
    const third = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    expect(third.practice).toBe(true);
    const practice = await bff.call(
      'submitQuizAttempt',
      { params: { id: quizId, attemptId: third.attemptId }, body: { answers: rightAnswers(third.questions) } },
      { token: c.token },
    );
    expect(practice.body).toMatchObject({ passed: true, practice: true, rewarded: false });
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(15);
    // The inline endpoint is not a way around the attempt.
    expect((await bff.call('answerMyQuiz', { params: { id: quizId }, body: { answers: [0, 0, 0] } }, { token: c.token })).body.code).toBe('QUIZ_NEEDS_ATTEMPT');
  });

  test('each start uses one of today’s attempts; when they are gone, starting is refused and nothing is drawn', async () => {
    await publishBank('LIMIT');
    const quizId = await bankQuiz('LIMIT');
    const c = await customerSession(bff);
    const perDay = (await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token })).body.attemptsLeftToday;
    for (let i = perDay - 1; i >= 0; i--) expect((await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body.attemptsLeftToday).toBe(i);
    const refused = await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('QUIZ_ATTEMPTS_EXHAUSTED');
    expect(JSON.stringify(refused.body)).not.toContain('questions');
  });

  test('a running attempt is resumed as it was, only by its customer, taking no attempt again; after its deadline it has timed out', async () => {
    await publishBank('RESUME');
    const quizId = await bankQuiz('RESUME');
    const c = await customerSession(bff);
    const other = await customerSession(bff);
    const open = (token: string) => bff.call('getOpenQuizAttempt', { params: { id: quizId } }, { token });
    const none = await open(c.token);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ attempt: null, timedOut: null });
    const before = (await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token })).body;
    expect(before.attemptsPerDay).toBe(before.attemptsLeftToday);

    const started = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    expect(started.serverNow).toBe(bff.clock.now().toISOString());
    expect(started.attemptsLeftToday).toBe(before.attemptsPerDay - 1);
    bff.clock.advance(20_000);
    // Back 20 s later: the same attempt, questions and deadline, the server's clock to count down from, no attempt used again.
    const resumed = await open(c.token);
    expect(resumed.status).toBe(200);
    expect(resumed.body.timedOut).toBeNull();
    expect(resumed.body.attempt).toMatchObject({
      attemptId: started.attemptId,
      questions: started.questions,
      deadline: started.deadline,
      startedAt: started.startedAt,
      timeLimitSeconds: 60,
      practice: false,
      attemptsLeftToday: before.attemptsPerDay - 1,
      serverNow: bff.clock.now().toISOString(),
    });
    expect(JSON.stringify(resumed.body)).not.toMatch(/answer|explanation|解析/);
    expect((await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token })).body.attemptsLeftToday).toBe(before.attemptsPerDay - 1);
    // Nobody else sees it.
    expect((await open(other.token)).body).toMatchObject({ attempt: null, timedOut: null });

    // Handed in: nothing left to resume.
    const submitted = await bff.call(
      'submitQuizAttempt',
      { params: { id: quizId, attemptId: started.attemptId }, body: { answers: started.questions.map(() => [1]) } },
      { token: c.token },
    );
    expect(submitted.body).toMatchObject({ passed: false, attemptsLeftToday: before.attemptsPerDay - 1 });
    expect((await open(c.token)).body).toMatchObject({ attempt: null, timedOut: null });

    // A new attempt left to run out: at its deadline it is over, said so, and was not scored.
    const second = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    expect((await open(c.token)).body.attempt.attemptId).toBe(second.attemptId);
    bff.clock.advance(60_000);
    const over = await open(c.token);
    expect(over.body).toMatchObject({ attempt: null, timedOut: { attemptId: second.attemptId, deadline: second.deadline } });
    expect((await bff.call('getMyQuiz', { params: { id: quizId } }, { token: c.token })).body.attemptsLeftToday).toBe(before.attemptsPerDay - 2);

    // An inline quiz has no attempts to resume.
    const inline = await publishActivity(
      bff,
      tokens,
      activityInput(bff, { type: 'quiz', settings: { questions: [{ text: '密码可以告诉客服吗？', options: letteredOptions(['可以', '不可以']), answer: 'B' }], passScore: 1 } }),
    );
    expect((await bff.call('getOpenQuizAttempt', { params: { id: inline } }, { token: c.token })).status).toBe(404);
  });

  test('a late, a second or another customer’s submission is refused, each with its own code', async () => {
    await publishBank('CARD');
    const quizId = await bankQuiz('CARD');
    const c = await customerSession(bff);
    const other = await customerSession(bff);
    const attempt = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: c.token })).body;
    const answers = rightAnswers(attempt.questions);
    const foreign = await bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: attempt.attemptId }, body: { answers } }, { token: other.token });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('QUIZ_ATTEMPT_FOREIGN');
    // Two different hand-ins at once: one is the submission, the other is refused.
    const other2 = answers.map((a: number[]) => (a[0] === 0 ? [1] : [0]));
    const [a, b] = await Promise.all(
      [answers, other2].map((sent) => bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: attempt.attemptId }, body: { answers: sent } }, { token: c.token })),
    );
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a.body.code, b.body.code]).toContain('QUIZ_ATTEMPT_SUBMITTED');
    // The same hand-in sent again (an answer lost on the way) gets the same result, and pays nothing more.
    const winner = a.status === 200 ? a : b;
    const sentAgain = await bff.call(
      'submitQuizAttempt',
      { params: { id: quizId, attemptId: attempt.attemptId }, body: { answers: a.status === 200 ? answers : other2 } },
      { token: c.token },
    );
    expect(sentAgain.status).toBe(200);
    expect(sentAgain.body).toEqual(winner.body);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(winner.body.passed ? 15 : 0);

    const late = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token: other.token })).body;
    bff.clock.advance(64_000);
    const token = other.token;
    const refused = await bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: late.attemptId }, body: { answers: rightAnswers(late.questions) } }, { token });
    expect(refused.body.code).toBe('QUIZ_ATTEMPT_EXPIRED');
    expect((await bff.app.services.points.balance(other.id)).balance).toBe(0);
  });

  // Issue 26, finding 4: the pass after the budget was spent answered 409 and lost the attempt.
  test('passing after the budget is spent: graded, ranked and answered 通过，奖励已发完; the books hold that outcome', async () => {
    await publishBank('SPENT');
    const now = bff.clock.now().getTime();
    const quizId = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        schedule: { startAt: new Date(now - 3_600_000).toISOString(), endAt: new Date(now + 7 * 86_400_000).toISOString() },
        type: 'quiz',
        title: '限量奖励答题',
        reward: { kind: 'points', amount: 15 },
        budget: { maxRewards: 1 },
        settings: { bank: { codes: ['SPENT'], count: 3, timeLimitSeconds: 60 }, passScore: 2 },
      }),
    );
    const pass = async (token: string) => {
      const attempt = (await bff.call('startQuizAttempt', { params: { id: quizId } }, { token })).body;
      return bff.call('submitQuizAttempt', { params: { id: quizId, attemptId: attempt.attemptId }, body: { answers: rightAnswers(attempt.questions) } }, { token });
    };
    const [first, second] = [await customerSession(bff), await customerSession(bff)];
    expect((await pass(first.token)).body).toMatchObject({ passed: true, rewarded: true, rewardState: 'issued' });
    const late = await pass(second.token);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ score: 3, passed: true, practice: false, rewarded: false, rewardState: 'exhausted' });
    expect(late.body.review).toHaveLength(3);
    const board = await bff.call('getQuizLeaderboard', { params: { id: quizId }, query: {} }, { token: second.token });
    expect(board.body.participants).toBe(2);
    expect(board.body.me).toMatchObject({ rank: 1, score: 3 });
    expect((await bff.call('getMyQuiz', { params: { id: quizId } }, { token: second.token })).body).toMatchObject({ passed: true });
    expect((await bff.call('checkInvariants', { query: { activityId: quizId } }, { token: tokens.reviewer })).body.violations).toEqual([]);
  });
});
