import type { TestBff } from './bff';
import { activityInput, publishActivity } from './activities';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

type Tokens = { admin: string; reviewer: string };

/** Five reviewed questions in one bank: four single choice (right: option 0), one multiple choice (right: 0 and 2). */
export function bankRows(bank: string) {
  const single = Array.from({ length: 4 }, (_, i) => ({
    code: `${bank}-Q${i + 1}`,
    type: 'question',
    orgUnitId: 'org-hq',
    bank,
    format: 'single',
    text: `${bank} 第 ${i + 1} 题：陌生来电要求转账到“安全账户”，应该？`,
    options: letteredOptions(['挂断并拨打 110 核实', '按要求转账']),
    answer: ['A'],
    explanation: `解析 ${bank}-${i + 1}：公检法不会要求转账到所谓安全账户。`,
  }));
  return [
    ...single,
    {
      code: `${bank}-M1`,
      type: 'question',
      orgUnitId: 'org-hq',
      bank,
      format: 'multiple',
      text: `${bank} 多选：哪些信息不能告诉他人？`,
      options: letteredOptions(['短信验证码', '银行网点地址', '银行卡密码']),
      answer: ['A', 'C'],
      explanation: `解析 ${bank}-M1：验证码和密码都不能告诉任何人。`,
      tags: ['反诈'],
      difficulty: 2,
    },
  ];
}

/** Uploads a question bank (given rows, or the five of `bankRows`) and has a reviewer approve every question. */
export async function publishQuestionBank(bff: TestBff, tokens: Tokens, bank: string, rows: Record<string, unknown>[] = bankRows(bank)) {
  const uploaded = await bff.call('bulkUploadQuizQuestions', { query: {}, body: { items: rows } }, { token: tokens.admin });
  expect(uploaded.body).toMatchObject({ created: rows.length });
  const list = await bff.call('listQuizQuestions', { query: { pageSize: '200' } }, { token: tokens.admin });
  for (const q of list.body.items.filter((x: { code: string }) => x.code.startsWith(`${bank}-`))) {
    await bff.call('submitQuizQuestion', { params: { id: q.id } }, { token: tokens.admin });
    expect((await bff.call('approveQuizQuestion', { params: { id: q.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
  }
}

/** A live quiz drawing 3 questions a time from `bank`, 60 s each, passed at `passScore` (2), open `days` (7). */
export function publishBankQuiz(bff: TestBff, tokens: Tokens, bank: string, options: { reward?: Record<string, unknown>; passScore?: number; title?: string; days?: number } = {}) {
  const now = bff.clock.now().getTime();
  const input = activityInput(bff, {
    schedule: { startAt: new Date(now - 3_600_000).toISOString(), endAt: new Date(now + (options.days ?? 7) * 86_400_000).toISOString() },
    type: 'quiz',
    title: options.title ?? '题库答题',
    reward: options.reward ?? { kind: 'points', amount: 15 },
    settings: { bank: { codes: [bank], count: 3, timeLimitSeconds: 60 }, passScore: options.passScore ?? 2 },
  });
  return publishActivity(bff, tokens, input);
}

/** The right answers of an attempt's questions, known to the test from the bank it uploaded. */
export const rightAnswers = (questions: { code: string }[]) => questions.map((q) => (q.code.endsWith('-M1') ? [0, 2] : [0]));

/** Answers with exactly `score` right (the rest wrong). */
export const answersScoring = (questions: { code: string }[], score: number) => rightAnswers(questions).map((right, i) => (i < score ? right : [right[0] === 0 ? 1 : 0]));
