import type { ActivityInput } from '../../../shared/contracts/activities';
import type { MyQuiz, QuizResult } from '../../../shared/contracts/quiz';
import type { ActivityCustomerService } from '../activities/customer-service';
import type { LiveView } from '../activities/eligibility';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import type { RateLimiter } from '../platform/rate-limit';
import { AppError } from '../platform/errors';
import { insertOnce, numberedSlots } from '../platform/keyed';
import { bankDay } from '../platform/time';
import type { RewardEngine } from '../rewards/engine';
import type { TaskService } from '../tasks/service';
import { createBankAttempts } from './attempts';
import type { QuizLeaderboard } from './leaderboard';
import type { QuestionView } from './questions';

export type QuizView = LiveView & { live: Extract<ActivityInput, { type: 'quiz' }> };

/**
 * 答题: answers are graded on the server, a customer gets a few graded attempts per quiz a
 * day (numbered slots, claimed by `_id`), and passing pays the quiz's reward once through the
 * reward engine and completes "finish a quiz" tasks.
 */
export function createQuizService(deps: {
  db: Database;
  clock: Clock;
  activities: Pick<ActivityCustomerService, 'live'>;
  rewards: RewardEngine;
  tasks: TaskService;
  attemptsPerDay: number;
  /** Answers a customer may send a minute, over all quizzes: after a pass, answers are not counted as attempts. */
  rateLimiter: RateLimiter;
  answersPerMinute: number;
  /** The live questions of some banks (a hint: see createBankReader). */
  bank: (codes: string[], needed: number) => Promise<QuestionView[]>;
  leaderboard: QuizLeaderboard;
  /** How a customer is named on a board: masked. */
  publicName: (customerId: string) => Promise<string>;
}) {
  const attempts = () => deps.db.collection<{ _id: string; score: number; at: Date }>('quiz_attempts');
  const passes = () => deps.db.collection<{ _id: string; at: Date }>('quiz_passes');
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

  /** Records a graded attempt's outcome: a first pass pays the quiz's reward once and completes quiz tasks. */
  async function settle(view: QuizView, customerId: string, passed: boolean, practice: boolean): Promise<boolean> {
    if (!passed || practice) return false;
    await insertOnce(passes(), { _id: `${view._id}|${customerId}`, at: deps.clock.now() });
    let rewarded = false;
    if (view.live.reward) {
      const outcome = await deps.rewards.issue({
        activityId: view._id,
        customerId,
        reason: 'quiz',
        source: 'pass',
        reward: view.live.reward,
        budget: view.live.budget,
        description: `答题通过：${view.live.title}`,
      });
      rewarded = !outcome.duplicate;
    }
    await deps.tasks.completed(customerId, 'quiz');
    return rewarded;
  }

  const ranked = async (view: QuizView, customerId: string, result: { attemptId: string; score: number; seconds: number; at: Date }) =>
    deps.leaderboard.record(view._id, customerId, { ...result, name: await deps.publicName(customerId) });
  const bankAttempts = createBankAttempts({ db: deps.db, clock: deps.clock, bank: deps.bank, claimAttempt, attemptsLeft, passed, settle, ranked });

  return {
    async get(customerId: string, id: string): Promise<MyQuiz> {
      const view = await quizFor(customerId, id);
      const { questions, bank, passScore } = view.live.settings;
      return {
        activityId: view._id,
        title: view.live.title,
        questions: (questions ?? []).map((q) => ({ text: q.text, options: q.options })),
        bank: bank ? { count: bank.count, timeLimitSeconds: bank.timeLimitSeconds } : null,
        passScore,
        reward: view.live.reward ?? null,
        passed: await passed(view._id, customerId),
        attemptsLeftToday: await attemptsLeft(view._id, customerId),
      };
    },

    async answer(customerId: string, id: string, answers: number[]): Promise<QuizResult> {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      const view = await quizFor(customerId, id);
      const { questions, passScore } = view.live.settings;
      if (!questions) throw new AppError('QUIZ_NEEDS_ATTEMPT');
      if (answers.length !== questions.length) {
        throw new AppError('QUIZ_ANSWERS_INCOMPLETE', { message: `请回答全部 ${questions.length} 道题` });
      }
      const correct = questions.map((q, i) => q.answerIndex === answers[i]);
      const score = correct.filter(Boolean).length;
      // After a pass, answering again is practice: it uses no attempt and pays nothing.
      const practice = await passed(view._id, customerId);
      if (!practice) await claimAttempt(view._id, customerId, score);
      const pass = score >= passScore;
      const rewarded = await settle(view, customerId, pass, practice);
      return {
        score,
        total: questions.length,
        passScore,
        passed: pass,
        practice,
        attemptsLeftToday: await attemptsLeft(view._id, customerId),
        correct,
        answerKey: pass || practice ? questions.map((q) => q.answerIndex) : null,
        rewarded,
      };
    },

    /** Starts an attempt at a quiz drawn from banks: its questions, without answers, and its deadline. */
    async start(customerId: string, id: string) {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      return bankAttempts.start(customerId, await quizFor(customerId, id));
    },
    async submit(customerId: string, id: string, attemptId: string, answers: number[][]) {
      await deps.rateLimiter.consume(`quiz-answer:${customerId}`, deps.answersPerMinute, 60);
      return bankAttempts.submit(customerId, await quizFor(customerId, id), attemptId, answers);
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
