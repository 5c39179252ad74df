import type { Reward } from '@shared/contracts/activities';
import type { MyQuiz, QuizResult } from '@shared/contracts/quiz';
import type { ActivityCustomerService } from '@/activities';
import type { Clock } from '@/platform/clock';
import { escapeRegex, type Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import type { Outbox } from '@/platform/outbox';
import { EventName } from '@shared/events';
import type { JobBooks } from '@/platform/job-books';
import type { RateLimiter } from '@/platform/rate-limit';
import { AppError } from '@/platform/errors';
import { insertOnce, numberedSlots } from '@/platform/keyed';
import { bankDay } from '@/platform/time';
import type { RewardEngine, RewardRequest, RewardState } from '@/rewards';
import { createBankAttempts } from './attempts';
import { QUIZ_STEP_LEASE_MS, rightPositions, termsOf, type PassOutcome, type QuizTerms, type QuizView } from './terms';
import type { QuizLeaderboard } from './leaderboard';
import type { QuestionView } from './questions';

export type { QuizView } from './terms';

/**
 * 答题: answers are graded on the server, a customer gets a few graded attempts per quiz a
 * day (numbered slots, claimed by `_id`), and passing pays the quiz's reward once through the
 * reward engine and is recorded as `quiz.passed` (tasks complete "finish a quiz" from it).
 *
 * A pass is decided by a keyed marker (`quiz_pass_pending`, one per quiz and customer) written
 * before anything it promises: the pass mark, the reward, the event. A crash after it leaves the
 * marker, and the sweep finishes the pass once. A budget already spent is an outcome: the pass
 * stands and is answered 通过，奖励已发完 (`rewardState: 'exhausted'`).
 */
export function createQuizService(deps: {
  db: Database;
  clock: Clock;
  activities: Pick<ActivityCustomerService, 'live'>;
  rewards: RewardEngine;
  outbox: Outbox;
  attemptsPerDay: number;
  /** Answers a customer may send a minute, over all quizzes: after a pass, answers are not counted as attempts. */
  rateLimiter: RateLimiter;
  answersPerMinute: number;
  /** The live questions of some banks (a hint: see createBankReader). */
  bank: (codes: string[], needed: number) => Promise<QuestionView[]>;
  leaderboard: QuizLeaderboard;
  /** How a customer is named on a board: masked. */
  publicName: (customerId: string) => Promise<string>;
  faults: Faults;
  books: Pick<JobBooks, 'each'>;
}) {
  const attempts = () => deps.db.collection<{ _id: string; score: number; at: Date }>('quiz_attempts');
  // `reward`: what the pass was owed (null: the quiz paid nothing), for the books' check.
  const passes = () => deps.db.collection<{ _id: string; at: Date; reward: Reward | null }>('quiz_passes');
  const passPending = () => deps.db.collection<{ _id: string; customerId: string; terms: QuizTerms; at: Date }>('quiz_pass_pending');
  // Today's attempts of one customer at one quiz, as numbered slots.
  const attemptSlots = numberedSlots(attempts);
  const today = (activityId: string, customerId: string) => `${activityId}|${customerId}|${bankDay(deps.clock.now())}`;

  async function quizFor(customerId: string, id: string, options: { browsing?: boolean } = {}): Promise<QuizView> {
    const view = await deps.activities.live(customerId, id, options);
    if (view.live.type !== 'quiz') throw new AppError('NOT_FOUND');
    return view as QuizView;
  }

  async function attemptsLeft(activityId: string, customerId: string): Promise<number> {
    return (await attemptSlots.read(today(activityId, customerId), deps.attemptsPerDay)).filter((u) => u === null).length;
  }

  const passed = async (activityId: string, customerId: string) => (await passes().findOne({ _id: `${activityId}|${customerId}` })) !== null;

  /** Takes one of today's attempts, or refuses when all are used. */
  async function claimAttempt(activityId: string, customerId: string, score: number): Promise<void> {
    const at = deps.clock.now();
    if (!(await attemptSlots.claim(today(activityId, customerId), deps.attemptsPerDay, (_id) => ({ _id, score, at })))) throw new AppError('QUIZ_ATTEMPTS_EXHAUSTED');
  }

  const passRequest = (terms: QuizTerms, customerId: string, reward: Reward): RewardRequest => ({
    activityId: terms.activityId,
    customerId,
    reason: 'quiz',
    source: 'pass',
    reward,
    budget: terms.budget,
    description: `答题通过：${terms.title}`,
  });

  /** The pass's work, after its marker: the pass mark, the reward, the event; then the marker goes. Every part is keyed. */
  async function finishPass(mark: { _id: string; customerId: string; terms: QuizTerms; at: Date }): Promise<PassOutcome> {
    const { terms, customerId } = mark;
    await insertOnce(passes(), { _id: mark._id, at: mark.at, reward: terms.reward });
    let rewardState: RewardState = 'none';
    if (terms.reward) rewardState = (await deps.rewards.settle(passRequest(terms, customerId, terms.reward))).state;
    await deps.outbox.record(EventName.QUIZ_PASSED, mark._id, { activityId: terms.activityId, customerId, passedAt: mark.at.toISOString() });
    await passPending().deleteOne({ _id: mark._id });
    return { rewarded: rewardState === 'issued', rewardState };
  }

  /**
   * Records a graded attempt's outcome: a first pass pays the quiz's reward once and completes
   * quiz tasks. Practice after a pass pays nothing, and tells what came of the pass's reward.
   */
  async function settle(terms: QuizTerms, customerId: string, passed: boolean, practice: boolean, at: Date): Promise<PassOutcome> {
    if (practice) return { rewarded: false, rewardState: terms.reward ? await deps.rewards.stateOf(passRequest(terms, customerId, terms.reward)) : 'none' };
    if (!passed) return { rewarded: false, rewardState: 'none' };
    const mark = { _id: `${terms.activityId}|${customerId}`, customerId, terms, at };
    await insertOnce(passPending(), mark);
    deps.faults.hit('after:quiz.pass-marked');
    return finishPass(mark);
  }

  const ranked = async (activityId: string, customerId: string, result: { attemptId: string; score: number; seconds: number; at: Date }) =>
    deps.leaderboard.record(activityId, customerId, { ...result, name: await deps.publicName(customerId) });
  const bankAttempts = createBankAttempts({
    db: deps.db,
    clock: deps.clock,
    faults: deps.faults,
    books: deps.books,
    bank: deps.bank,
    claimAttempt,
    attemptsLeft,
    passed,
    settle,
    ranked,
  });

  return {
    async get(customerId: string, id: string): Promise<MyQuiz> {
      const view = await quizFor(customerId, id);
      const { questions, bank, passScore } = view.live.settings;
      return {
        activityId: view._id,
        title: view.live.title,
        questions: (questions ?? []).map((q) => ({ text: q.text, options: q.options.map((o) => o.text) })),
        bank: bank ? { count: bank.count, timeLimitSeconds: bank.timeLimitSeconds } : null,
        passScore,
        reward: view.live.reward ?? null,
        passed: await passed(view._id, customerId),
        attemptsLeftToday: await attemptsLeft(view._id, customerId),
        attemptsPerDay: deps.attemptsPerDay,
      };
    },

    async answer(customerId: string, id: string, answers: number[]): Promise<QuizResult> {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      const view = await quizFor(customerId, id);
      const { questions, passScore, safety } = view.live.settings;
      if (!questions) throw new AppError('QUIZ_NEEDS_ATTEMPT');
      if (answers.length !== questions.length) {
        throw new AppError('QUIZ_ANSWERS_INCOMPLETE', { message: `请回答全部 ${questions.length} 道题` });
      }
      const key = questions.map((q) => rightPositions(q.options, [q.answer])[0]);
      const correct = key.map((right, i) => right === answers[i]);
      const score = correct.filter(Boolean).length;
      // After a pass, answering again is practice: it uses no attempt and pays nothing.
      const practice = await passed(view._id, customerId);
      if (!practice) await claimAttempt(view._id, customerId, score);
      const pass = score >= passScore;
      const outcome = await settle(termsOf(view), customerId, pass, practice, deps.clock.now());
      // Before a pass, only the score: which answers were right would give a true/false question's key away. A safety
      // quiz teaches with every submission: the customer who chose the scam's answer is the one who must see why not.
      const shown = pass || practice || safety === true;
      return {
        score,
        total: questions.length,
        passScore,
        passed: pass,
        practice,
        attemptsLeftToday: await attemptsLeft(view._id, customerId),
        correct: shown ? correct : null,
        answerKey: shown ? key : null,
        explanations: shown ? questions.map((q) => q.explanation ?? null) : null,
        rewarded: outcome.rewarded,
        rewardState: outcome.rewardState,
      };
    },

    /** Starts an attempt at a quiz drawn from banks: its questions, without answers, and its deadline. */
    async start(customerId: string, id: string) {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      return bankAttempts.start(customerId, await quizFor(customerId, id));
    },
    /** My running attempt at a quiz drawn from banks, to resume it (no attempt is taken), or the latest that timed out. */
    async open(customerId: string, id: string) {
      return bankAttempts.open(customerId, await quizFor(customerId, id));
    },
    async submit(customerId: string, id: string, attemptId: string, answers: number[][]) {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      return bankAttempts.submit(customerId, await quizFor(customerId, id), attemptId, answers);
    },

    /** Passes a crash cut short after they were decided, past their lease: finished once, each alone. Returns how many. */
    async recoverPasses(): Promise<number> {
      const cutoff = new Date(deps.clock.now().getTime() - QUIZ_STEP_LEASE_MS);
      const marks = await passPending()
        .find({ at: { $lte: cutoff } })
        .limit(500)
        .toArray();
      return (await deps.books.each('quiz.passes', marks, (m) => m._id, finishPass)).done;
    },
    /** Bank-quiz submissions a crash cut short after they were stored: graded, paid and ranked once, each alone. */
    recoverSubmissions: () => bankAttempts.recover(),
    ensureIndexes: async () => {
      await passPending().createIndex({ at: 1 });
      await bankAttempts.ensureIndexes();
    },

    /**
     * The quiz's books, for `/admin/invariants?activityId=`: no pass decided and left unfinished,
     * no submission stored and left ungraded (past their lease), and every pass that was owed a
     * reward has its outcome in the reward engine's books (paid, or refused: spent, unavailable).
     */
    async check(activityId: string): Promise<string[]> {
      const problems: string[] = [];
      const cutoff = new Date(deps.clock.now().getTime() - QUIZ_STEP_LEASE_MS);
      const prefix = { $regex: `^${escapeRegex(activityId)}\\|` };
      for (const m of await passPending()
        .find({ _id: prefix, at: { $lte: cutoff } } as never)
        .toArray())
        problems.push(`pass of ${m.customerId}: decided at ${m.at.toISOString()} but not finished`);
      for (const p of await passes()
        .find({ _id: prefix } as never)
        .toArray()) {
        if (!p.reward) continue;
        const customerId = p._id.slice(activityId.length + 1);
        const state = await deps.rewards.stateOf(passRequest({ activityId, title: '', reward: p.reward, budget: { maxRewards: 0 } }, customerId, p.reward));
        if (state === 'none') problems.push(`pass of ${customerId}: its reward was neither paid nor refused`);
      }
      problems.push(...(await bankAttempts.check(activityId, cutoff)));
      return problems;
    },

    /** This or last week's board of a quiz drawn from banks (inline quizzes are not timed, so not ranked). */
    async leaderboard(customerId: string, id: string, week: 'current' | 'previous', browsing = false) {
      const view = await quizFor(customerId, id, { browsing });
      const bank = view.live.settings.bank;
      if (!bank) throw new AppError('NOT_FOUND', { message: '本答题没有排行榜' });
      return deps.leaderboard.read(view._id, customerId, bank.count, week);
    },
  };
}

export type QuizService = ReturnType<typeof createQuizService>;
