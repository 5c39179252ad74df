import { letteredOptions, QuestionInput } from '@shared/contracts/quiz-bank';
import { EventName } from '@shared/events';
import type { Scope } from '@/platform/auth/scope';
import type { AuditLog } from '@/platform/audit';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import type { Outbox } from '@/platform/outbox';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS } from '@/kernel/review/workflow';

/** A question is in force from its approval until it is withdrawn. */
const ALWAYS = { start: new Date(0), end: new Date('9999-12-31T00:00:00Z') };
// How long a process reuses the list of a bank's live questions before reading it again.
const BANK_HINT_MS = 30_000;

export type QuestionView = ReviewedView<QuestionInput, { bank: string | null }> & { live: QuestionInput };

export function createQuestionRepository(db: Database, clock: Clock, faults: Faults) {
  return createReviewedRepository<QuestionInput, { bank: string | null }>(
    db,
    clock,
    { name: 'quiz_question', viewCollection: 'quiz_questions', window: () => ALWAYS, extra: (live) => ({ bank: live?.bank ?? null }) },
    faults,
  );
}
type QuestionRepository = ReturnType<typeof createQuestionRepository>;

/** 题库 questions: uploaded as JSON or CSV keyed by the bank's code, approved by a second person. */
export function createQuestionAdmin(deps: {
  clock: Clock;
  scope: Scope;
  outbox: Outbox;
  audit: AuditLog;
  faults: Faults;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
  questions: QuestionRepository;
  bannedWords: string[];
}) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.questions,
    schema: QuestionInput,
    label: '题目',
    errors: REVIEW_ERRORS,
    events: { published: EventName.QUIZ_QUESTION_PUBLISHED, withdrawn: EventName.QUIZ_QUESTION_WITHDRAWN, idField: 'questionId' },
  });
}

const csvCells = csvRowReader({ json: new Set(['options', 'tags']), numbers: new Set(['difficulty']) });
/**
 * CSV columns (`QUESTION_CSV_NOTE`): `options` the option texts as a JSON array, which become options A, B, C…;
 * `answer` the letters of the right ones (`B`, `AC`); `tags` a JSON array. Cells that are not so are passed on as
 * they are, for validation to name their column.
 */
export function csvRowToQuestion(record: Record<string, string>): unknown {
  const row = csvCells(record) as Record<string, unknown>;
  const { options, answer } = row;
  return {
    ...row,
    ...(Array.isArray(options) && options.every((o) => typeof o === 'string') ? { options: letteredOptions(options) } : {}),
    ...(typeof answer === 'string' && /^[A-Za-z\s,，、|]+$/.test(answer) ? { answer: answer.toUpperCase().match(/[A-Z]/g) } : {}),
  };
}

/** Every bank with questions live now, and how many: what a quiz's 题库 is chosen from (a read of the live questions, for staff). */
export async function banksOf(questions: QuestionRepository, now: Date): Promise<{ items: { code: string; liveQuestions: number }[] }> {
  const counts = new Map<string, number>();
  for (const v of (await questions.liveViews(now)) as QuestionView[]) counts.set(v.live.bank, (counts.get(v.live.bank) ?? 0) + 1);
  return { items: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([code, liveQuestions]) => ({ code, liveQuestions })) };
}

/**
 * The live questions of some banks. The list is a hint kept for half a minute: an attempt
 * stores the questions it drew, so a question withdrawn meanwhile only stops being drawn a
 * little later, and nothing is refused on the strength of it.
 */
export function createBankReader(questions: QuestionRepository, clock: Clock) {
  let cached: { at: number; views: QuestionView[] } | null = null;
  const read = async (now: Date) => (cached = { at: now.getTime(), views: (await questions.liveViews(now)) as QuestionView[] });
  /** At least `needed` questions of these banks if there are: too few in the hint is read again before it is believed. */
  return async (banks: string[], needed: number): Promise<QuestionView[]> => {
    const now = clock.now();
    const inBanks = (list: { views: QuestionView[] }) => list.views.filter((v) => banks.includes(v.live.bank));
    const stale = !cached || now.getTime() - cached.at > BANK_HINT_MS;
    let list = stale ? await read(now) : cached!;
    if (!stale && inBanks(list).length < needed) list = await read(now);
    return inBanks(list);
  };
}
