import { randomInt, randomUUID } from 'node:crypto';
import type { AttemptResult, QuizAttempt } from '../../../shared/contracts/quiz-bank';
import type { QuestionInput } from '../../../shared/contracts/quiz-bank';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import type { QuestionView } from './questions';
import type { QuizView } from './service';

type Drawn = Pick<QuestionInput, 'code' | 'format' | 'text' | 'options' | 'answer' | 'explanation'>;
type AttemptDoc = { _id: string; activityId: string; customerId: string; questions: Drawn[]; passScore: number; startedAt: Date; deadline: Date; practice: boolean };
// Each answer in an object: FerretDB stores no arrays directly inside arrays.
type SubmissionDoc = { _id: string; answers: { chosen: number[] }[]; score: number; at: Date };

// A submission sent at the deadline may arrive a moment after it.
const GRACE_MS = 3_000;

/** `count` of the questions, chosen uniformly with the operating system's random source. */
function sample<T>(items: T[], count: number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Attempts at a quiz drawn from banks (题库): starting one draws its questions at random and
 * stores them, with a deadline, on the server; the answers are judged against what was stored,
 * once, before the deadline, and only by the customer who started it. Nothing answer-like leaves
 * the server before the submission.
 */
export function createBankAttempts(deps: {
  db: Database;
  clock: Clock;
  bank: (codes: string[], needed: number) => Promise<QuestionView[]>;
  claimAttempt: (activityId: string, customerId: string, score: number) => Promise<void>;
  attemptsLeft: (activityId: string, customerId: string) => Promise<number>;
  passed: (activityId: string, customerId: string) => Promise<boolean>;
  settle: (view: QuizView, customerId: string, passed: boolean, practice: boolean) => Promise<boolean>;
  /** A graded (not practice) attempt's result, for the week's leaderboard. */
  ranked: (view: QuizView, customerId: string, result: { attemptId: string; score: number; seconds: number; at: Date }) => Promise<void>;
}) {
  const attempts = () => deps.db.collection<AttemptDoc>('quiz_bank_attempts');
  const submissions = () => deps.db.collection<SubmissionDoc>('quiz_bank_submissions');

  return {
    async start(customerId: string, view: QuizView): Promise<QuizAttempt> {
      const bank = view.live.settings.bank;
      if (!bank) throw new AppError('NOT_FOUND', { message: '本答题不从题库抽题' });
      const live = await deps.bank(bank.codes, bank.count);
      if (live.length < bank.count) throw new AppError('QUIZ_BANK_TOO_SMALL');
      // After a pass, attempts are practice: they use none of today's and pay nothing.
      const practice = await deps.passed(view._id, customerId);
      const now = deps.clock.now();
      const doc: AttemptDoc = {
        _id: randomUUID(),
        activityId: view._id,
        customerId,
        questions: sample(live, bank.count).map(({ live: q }) => ({ code: q.code, format: q.format, text: q.text, options: q.options, answer: q.answer, explanation: q.explanation })),
        passScore: view.live.settings.passScore,
        startedAt: now,
        deadline: new Date(now.getTime() + bank.timeLimitSeconds * 1000),
        practice,
      };
      // Stored before it takes one of today's attempts, so a failed write uses none; an attempt left
      // without its slot (a crash between the two) was never handed to anyone, so it cannot be answered.
      await attempts().insertOne(doc);
      if (!practice) {
        try {
          await deps.claimAttempt(view._id, customerId, -1);
        } catch (err) {
          await attempts().deleteOne({ _id: doc._id });
          throw err;
        }
      }
      return {
        attemptId: doc._id,
        activityId: view._id,
        questions: doc.questions.map((q) => ({ code: q.code, format: q.format, text: q.text, options: q.options })),
        passScore: doc.passScore,
        startedAt: doc.startedAt.toISOString(),
        deadline: doc.deadline.toISOString(),
        timeLimitSeconds: bank.timeLimitSeconds,
        practice,
        attemptsLeftToday: await deps.attemptsLeft(view._id, customerId),
      };
    },

    async submit(customerId: string, view: QuizView, attemptId: string, answers: number[][]): Promise<AttemptResult> {
      const attempt = await attempts().findOne({ _id: attemptId });
      if (!attempt || attempt.activityId !== view._id) throw new AppError('NOT_FOUND', { message: '答题记录不存在' });
      if (attempt.customerId !== customerId) throw new AppError('QUIZ_ATTEMPT_FOREIGN');
      const now = deps.clock.now();
      if (now.getTime() > attempt.deadline.getTime() + GRACE_MS) throw new AppError('QUIZ_ATTEMPT_EXPIRED');
      if (answers.length !== attempt.questions.length) throw new AppError('QUIZ_ANSWERS_INCOMPLETE', { message: `请回答全部 ${attempt.questions.length} 道题` });
      const correct = attempt.questions.map((q, i) => sameSet(q.answer, answers[i]));
      const score = correct.filter(Boolean).length;
      // The insert is the submission: a second one, even at the same moment, is refused.
      if (!(await insertOnce(submissions(), { _id: attemptId, answers: answers.map((chosen) => ({ chosen })), score, at: now }))) throw new AppError('QUIZ_ATTEMPT_SUBMITTED');
      const passed = score >= attempt.passScore;
      const rewarded = await deps.settle(view, customerId, passed, attempt.practice);
      const durationSeconds = Math.round((now.getTime() - attempt.startedAt.getTime()) / 1000);
      if (!attempt.practice) await deps.ranked(view, customerId, { attemptId, score, seconds: durationSeconds, at: now });
      return {
        attemptId,
        score,
        total: attempt.questions.length,
        passScore: attempt.passScore,
        passed,
        practice: attempt.practice,
        rewarded,
        durationSeconds,
        attemptsLeftToday: await deps.attemptsLeft(view._id, customerId),
        review: attempt.questions.map((q, i) => ({ code: q.code, format: q.format, text: q.text, options: q.options, chosen: answers[i], answer: q.answer, correct: correct[i], explanation: q.explanation })),
      };
    },
  };
}
