import { randomInt, randomUUID } from 'node:crypto';
import type { AttemptResult, OpenQuizAttempt, QuizAttempt } from '@shared/contracts/quiz-bank';
import type { QuestionInput } from '@shared/contracts/quiz-bank';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import { replaceById } from '@/platform/upsert';
import type { QuestionView } from './questions';
import { QUIZ_STEP_LEASE_MS, rightPositions, termsOf, type PassOutcome, type QuizTerms, type QuizView } from './terms';

/** A drawn question as the attempt keeps it: options as shown, the right ones by position (the customer answers by position). */
type Drawn = Pick<QuestionInput, 'code' | 'format' | 'text' | 'explanation'> & { options: string[]; answer: number[] };
type AttemptDoc = { _id: string; activityId: string; customerId: string; questions: Drawn[]; passScore: number; startedAt: Date; deadline: Date; practice: boolean };
// Each answer in an object: FerretDB stores no arrays directly inside arrays. `activityId` on
// submissions stored since they are graded under a marker (older ones have none, and were graded at once).
type SubmissionDoc = { _id: string; answers: { chosen: number[] }[]; score: number; at: Date; activityId?: string };
/**
 * A customer's latest attempt handed out at one quiz (`<activityId>|<customerId>`), so a running one can be resumed:
 * read by `_id`, written after the attempt took its slot (an attempt never handed out is never resumed).
 */
type LatestDoc = { _id: string; attemptId: string; at: Date };
/** A submission stored and not yet graded, paid and ranked: the keyed marker the sweep finishes. */
type GradingDoc = { _id: string; activityId: string; customerId: string; terms: QuizTerms; at: Date };

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
const sameAnswers = (stored: { chosen: number[] }[], sent: number[][]) => stored.length === sent.length && stored.every((s, i) => s.chosen.join() === sent[i].join());

/**
 * Attempts at a quiz drawn from banks (题库): starting one draws its questions at random and
 * stores them, with a deadline, on the server; the answers are judged against what was stored,
 * once, before the deadline, and only by the customer who started it. Nothing answer-like leaves
 * the server before the submission.
 *
 * A submission is stored under a grading marker written first; then it is graded (the pass, its
 * reward), ranked, marked graded, and the marker goes. A crash in between leaves the marker for
 * the sweep, which finishes it once; the same hand-in sent again gets its result.
 */
export function createBankAttempts(deps: {
  db: Database;
  clock: Clock;
  faults: Faults;
  books: Pick<JobBooks, 'each'>;
  bank: (codes: string[], needed: number) => Promise<QuestionView[]>;
  claimAttempt: (activityId: string, customerId: string, score: number) => Promise<void>;
  attemptsLeft: (activityId: string, customerId: string) => Promise<number>;
  passed: (activityId: string, customerId: string) => Promise<boolean>;
  settle: (terms: QuizTerms, customerId: string, passed: boolean, practice: boolean, at: Date) => Promise<PassOutcome>;
  /** A graded (not practice) attempt's result, for the week's leaderboard. */
  ranked: (activityId: string, customerId: string, result: { attemptId: string; score: number; seconds: number; at: Date }) => Promise<void>;
}) {
  const attempts = () => deps.db.collection<AttemptDoc>('quiz_bank_attempts');
  const submissions = () => deps.db.collection<SubmissionDoc>('quiz_bank_submissions');
  const grading = () => deps.db.collection<GradingDoc>('quiz_bank_grading');
  const graded = () => deps.db.collection<{ _id: string; activityId: string; at: Date }>('quiz_bank_graded');
  const latest = () => deps.db.collection<LatestDoc>('quiz_bank_latest');

  /** The attempt as its customer sees it: questions without answers, its deadline and the server's clock. */
  const shown = async (doc: AttemptDoc, timeLimitSeconds: number): Promise<QuizAttempt> => ({
    attemptId: doc._id,
    activityId: doc.activityId,
    questions: doc.questions.map((q) => ({ code: q.code, format: q.format, text: q.text, options: q.options })),
    passScore: doc.passScore,
    startedAt: doc.startedAt.toISOString(),
    deadline: doc.deadline.toISOString(),
    serverNow: deps.clock.now().toISOString(),
    timeLimitSeconds,
    practice: doc.practice,
    attemptsLeftToday: await deps.attemptsLeft(doc.activityId, doc.customerId),
  });

  /** The submission's work, all keyed: the pass and its reward, the board; then it is marked graded and its marker goes. */
  async function grade(attempt: AttemptDoc, submission: SubmissionDoc, terms: QuizTerms) {
    const passed = submission.score >= attempt.passScore;
    const outcome = await deps.settle(terms, attempt.customerId, passed, attempt.practice, submission.at);
    const durationSeconds = Math.round((submission.at.getTime() - attempt.startedAt.getTime()) / 1000);
    if (!attempt.practice)
      await deps.ranked(attempt.activityId, attempt.customerId, { attemptId: attempt._id, score: submission.score, seconds: durationSeconds, at: submission.at });
    await insertOnce(graded(), { _id: attempt._id, activityId: attempt.activityId, at: deps.clock.now() });
    await grading().deleteOne({ _id: attempt._id });
    return { passed, outcome, durationSeconds };
  }

  async function result(attempt: AttemptDoc, submission: SubmissionDoc, terms: QuizTerms): Promise<AttemptResult> {
    const { passed, outcome, durationSeconds } = await grade(attempt, submission, terms);
    const answers = submission.answers.map((a) => a.chosen);
    return {
      attemptId: attempt._id,
      score: submission.score,
      total: attempt.questions.length,
      passScore: attempt.passScore,
      passed,
      practice: attempt.practice,
      rewarded: outcome.rewarded,
      rewardState: outcome.rewardState,
      durationSeconds,
      attemptsLeftToday: await deps.attemptsLeft(attempt.activityId, attempt.customerId),
      review: attempt.questions.map((q, i) => ({
        code: q.code,
        format: q.format,
        text: q.text,
        options: q.options,
        chosen: answers[i],
        answer: q.answer,
        correct: sameSet(q.answer, answers[i]),
        explanation: q.explanation,
      })),
    };
  }

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
        questions: sample(live, bank.count).map(({ live: q }) => ({
          code: q.code,
          format: q.format,
          text: q.text,
          options: q.options.map((o) => o.text),
          answer: rightPositions(q.options, q.answer),
          explanation: q.explanation,
        })),
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
      // Handed out now: the one to resume until its deadline.
      await replaceById(latest(), `${view._id}|${customerId}`, { attemptId: doc._id, at: now });
      return shown(doc, bank.timeLimitSeconds);
    },

    /**
     * The customer's own latest attempt, to resume while it runs: the same questions and deadline, and no
     * attempt taken for it again. One whose deadline passed without a hand-in is said to have timed out.
     */
    async open(customerId: string, view: QuizView): Promise<OpenQuizAttempt> {
      const bank = view.live.settings.bank;
      if (!bank) throw new AppError('NOT_FOUND', { message: '本答题不从题库抽题' });
      const none = { attempt: null, timedOut: null, serverNow: deps.clock.now().toISOString() };
      const pointer = await latest().findOne({ _id: `${view._id}|${customerId}` });
      if (!pointer) return none;
      const [doc, submission] = await Promise.all([attempts().findOne({ _id: pointer.attemptId }), submissions().findOne({ _id: pointer.attemptId })]);
      if (!doc || submission || doc.customerId !== customerId || doc.activityId !== view._id) return none;
      const now = deps.clock.now();
      // Within the deadline itself: the grace is for a hand-in on its way, not for answering on.
      if (now.getTime() >= doc.deadline.getTime()) return { ...none, timedOut: { attemptId: doc._id, deadline: doc.deadline.toISOString() } };
      return { attempt: await shown(doc, Math.round((doc.deadline.getTime() - doc.startedAt.getTime()) / 1000)), timedOut: null, serverNow: now.toISOString() };
    },

    async submit(customerId: string, view: QuizView, attemptId: string, answers: number[][]): Promise<AttemptResult> {
      const attempt = await attempts().findOne({ _id: attemptId });
      if (!attempt || attempt.activityId !== view._id) throw new AppError('NOT_FOUND', { message: '答题记录不存在' });
      if (attempt.customerId !== customerId) throw new AppError('QUIZ_ATTEMPT_FOREIGN');
      const terms = termsOf(view);
      // Handed in already: the same answers again (an answer lost on the way) get the result; others are refused.
      const again = async (stored: SubmissionDoc) => {
        if (!sameAnswers(stored.answers, answers)) throw new AppError('QUIZ_ATTEMPT_SUBMITTED');
        return result(attempt, stored, terms);
      };
      const stored = await submissions().findOne({ _id: attemptId });
      if (stored) return again(stored);
      const now = deps.clock.now();
      if (now.getTime() > attempt.deadline.getTime() + GRACE_MS) throw new AppError('QUIZ_ATTEMPT_EXPIRED');
      if (answers.length !== attempt.questions.length) throw new AppError('QUIZ_ANSWERS_INCOMPLETE', { message: `请回答全部 ${attempt.questions.length} 道题` });
      const score = attempt.questions.filter((q, i) => sameSet(q.answer, answers[i])).length;
      // The marker first: from the moment the submission exists, something will grade it.
      await insertOnce(grading(), { _id: attemptId, activityId: view._id, customerId, terms, at: now });
      // The insert is the submission: a second one, even at the same moment, is refused.
      const submission: SubmissionDoc = { _id: attemptId, answers: answers.map((chosen) => ({ chosen })), score, at: now, activityId: view._id };
      if (!(await insertOnce(submissions(), submission))) return again((await submissions().findOne({ _id: attemptId }))!);
      deps.faults.hit('after:quiz.submitted');
      return result(attempt, submission, terms);
    },

    /** Submissions a crash left ungraded past their lease: graded, paid and ranked once; a marker whose submission never landed goes. */
    async recover(): Promise<number> {
      const cutoff = new Date(deps.clock.now().getTime() - QUIZ_STEP_LEASE_MS);
      const marks = await grading()
        .find({ at: { $lte: cutoff } })
        .limit(500)
        .toArray();
      const run = await deps.books.each(
        'quiz.submissions',
        marks,
        (m) => m._id,
        async (mark) => {
          const [attempt, submission] = await Promise.all([attempts().findOne({ _id: mark._id }), submissions().findOne({ _id: mark._id })]);
          if (attempt && submission) await grade(attempt, submission, mark.terms);
          else await grading().deleteOne({ _id: mark._id });
        },
      );
      return run.done;
    },

    /** Every submission of the quiz stored under a grading marker is graded, or still within its lease (a scan: for the back office). */
    async check(activityId: string, cutoff: Date): Promise<string[]> {
      const problems: string[] = [];
      for (const s of await submissions().find({ activityId }).toArray()) {
        if (await graded().findOne({ _id: s._id })) continue;
        const mark = await grading().findOne({ _id: s._id });
        if (mark && mark.at > cutoff) continue;
        problems.push(`attempt ${s._id}: submitted but not graded (score ${s.score})`);
      }
      return problems;
    },

    ensureIndexes: async () => {
      await grading().createIndex({ at: 1 });
      await submissions().createIndex({ activityId: 1 });
    },
  };
}
