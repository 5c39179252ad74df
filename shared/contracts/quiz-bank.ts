import { z } from 'zod';
import { statedRules, trimmedText, whenField } from './common';
import { adminDocument } from './review';
import { RewardState } from './rewards';

const QUESTION_FORMATS = ['single', 'multiple', 'truefalse'] as const;
export const questionFormatNamesZh: Record<(typeof QUESTION_FORMATS)[number], string> = { single: '单选题', multiple: '多选题', truefalse: '判断题' };
export const BankCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '题库编码只能包含字母、数字、下划线和横线');

/** An option's id: chosen by the editor, kept with the option whatever happens to the others. */
export const OptionId = z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '选项编号只能包含字母、数字、下划线和横线，最多 16 位');

/**
 * One option of a question. The right answers name options by `id`, never by position, so removing or
 * reordering options cannot move the right answer onto another option.
 */
export const QuestionOption = z.object({
  id: OptionId.describe('Stable while the option exists: kept when options are edited, removed or reordered; a new option gets a new id'),
  text: trimmedText(1).max(100),
});
export type QuestionOption = z.infer<typeof QuestionOption>;

/** Options from their texts in order, ids A, B, C…: how a CSV row names them (its `answer` column then says `B` or `AC`). */
export const letteredOptions = (texts: readonly string[]): QuestionOption[] => texts.map((text, i) => ({ id: String.fromCharCode(65 + i), text }));

/** The options' ids are distinct and every right answer is one of them (the issues, for a refinement). */
export function answerIssues(options: readonly QuestionOption[], answer: readonly string[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ids = options.map((o) => o.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) issues.push({ path: ['options', i, 'id'], message: '选项编号不能重复' });
  });
  if (answer.some((id) => !ids.includes(id))) issues.push({ path: ['answer'], message: '正确答案须是选项之一' });
  if (new Set(answer).size !== answer.length) issues.push({ path: ['answer'], message: '正确答案不能重复' });
  return issues;
}

/** The texts a truefalse question's options must have, in this order. */
export const TRUE_FALSE_TEXTS = ['正确', '错误'] as const;

/** How a question bank's CSV carries options and answers: shown in the console's upload help and in the API document. */
export const QUESTION_CSV_NOTE =
  'options 列为选项文字的 JSON 数组，依次为选项 A、B、C…，如 ["正确","错误"]；answer 列为正确选项的字母，如 B，多选题如 AC；tags 列为 JSON 数组，如 ["反诈"]';

/** One question of a bank (题库), keyed by the bank's question code and reviewed like an activity. */
export const QuestionInput = z
  .object({
    code: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '题目编码只能包含字母、数字、下划线和横线')
      .describe('The bank’s own question code; unique'),
    type: z.literal('question'),
    orgUnitId: z.string().min(1).max(64),
    bank: BankCode.describe('The bank (题库) it belongs to; quizzes draw from banks by this code'),
    format: z.enum(QUESTION_FORMATS).describe('single: one right option; multiple: all right options, no others; truefalse: 正确/错误'),
    text: trimmedText(1).max(300),
    options: z.array(QuestionOption).min(2).max(6),
    answer: z
      .array(OptionId)
      .min(1)
      .max(6)
      // No option twice (a rule of the refinement below), for the document.
      .meta({ uniqueItems: true })
      .describe('The ids of the right options'),
    explanation: trimmedText(1).max(500).describe('Shown with the result, never before'),
    tags: z.array(trimmedText(1).max(20)).max(10).default([]),
    difficulty: z.number().int().min(1).max(5).optional(),
  })
  .superRefine((q, ctx) => {
    for (const issue of answerIssues(q.options, q.answer)) ctx.addIssue({ code: 'custom', ...issue });
    if (q.format !== 'multiple' && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: '单选题和判断题只有一个正确答案' });
    if (q.format === 'truefalse' && (q.options.length !== 2 || q.options.some((o, i) => o.text !== TRUE_FALSE_TEXTS[i]))) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: '判断题的选项须为“正确”“错误”' });
    }
  })
  .describe(
    statedRules(
      'option ids are distinct; every answer is the id of an option, and no option twice; single and truefalse have one answer; the option texts of truefalse are "正确", "错误".',
    ),
  )
  // The rules JSON Schema can state, for the document.
  .meta({
    allOf: [
      whenField('format', ['single', 'truefalse'], { properties: { answer: { maxItems: 1 } } }),
      whenField('format', ['truefalse'], {
        properties: { options: { minItems: 2, maxItems: 2, prefixItems: TRUE_FALSE_TEXTS.map((text) => ({ properties: { text: { const: text } } })) } },
      }),
    ],
  });
export type QuestionInput = z.infer<typeof QuestionInput>;

export const AdminQuestion = adminDocument(['question'], 'AdminQuestion');

const AttemptQuestion = z.object({ code: z.string(), format: z.enum(QUESTION_FORMATS), text: z.string(), options: z.array(z.string()) });

/** A started attempt: its questions without answers, and when it must be handed in. */
export const QuizAttempt = z.object({
  attemptId: z.string(),
  activityId: z.string(),
  questions: z.array(AttemptQuestion),
  passScore: z.number().int(),
  startedAt: z.string(),
  deadline: z.string().describe('Answers after this are refused'),
  serverNow: z
    .string()
    .describe('The server’s clock as it answered: a client counts down to `deadline` from this (its own clock plus the difference), never from the phone’s clock alone'),
  timeLimitSeconds: z.number().int(),
  practice: z.boolean().describe('Already passed: this attempt is practice, uses no attempt and pays nothing'),
  attemptsLeftToday: z.number().int(),
});
export type QuizAttempt = z.infer<typeof QuizAttempt>;

/**
 * My running attempt at a quiz drawn from banks, to resume it: the same questions and deadline, taking no
 * further attempt. Only the customer's own; only until its deadline.
 */
export const OpenQuizAttempt = z.object({
  attempt: QuizAttempt.nullable().describe('My latest attempt, started and not handed in, while its deadline has not passed; null if none'),
  timedOut: z
    .object({ attemptId: z.string(), deadline: z.string() })
    .nullable()
    .describe('My latest attempt, if it ran out without a hand-in: it was not scored and used its attempt; null otherwise'),
  serverNow: z.string().describe('The server’s clock as it answered'),
});
export type OpenQuizAttempt = z.infer<typeof OpenQuizAttempt>;

export const AttemptParams = z.object({ id: z.string().min(1).max(64), attemptId: z.string().uuid('答题记录编号无效') });
export const AttemptAnswers = z
  .object({
    answers: z
      .array(z.array(z.number().int().min(0).max(5)).max(6))
      .min(1)
      .max(50)
      .describe('The chosen options of each question, in order'),
  })
  .strict();

export const AttemptResult = z.object({
  attemptId: z.string(),
  score: z.number().int(),
  total: z.number().int(),
  passScore: z.number().int(),
  passed: z.boolean(),
  practice: z.boolean(),
  rewarded: z.boolean().describe('This pass earned the quiz’s reward (paid)'),
  rewardState: RewardState.describe('What came of the pass’s reward: exhausted is 通过，奖励已发完'),
  durationSeconds: z.number().int(),
  attemptsLeftToday: z.number().int(),
  review: z.array(
    AttemptQuestion.extend({
      chosen: z.array(z.number().int()),
      answer: z.array(z.number().int()).describe('The positions of the right options, as the question showed them'),
      correct: z.boolean(),
      explanation: z.string(),
    }),
  ),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

/** Which week's board: this one, or the one before (weeks start on Monday, Asia/Shanghai). */
export const LeaderboardQuery = z.object({ week: z.enum(['current', 'previous']).default('current') });

const LeaderboardRow = z.object({
  rank: z.number().int().describe('1 + the participants with a better score, or the same score in less time (whole seconds): equal results share a rank'),
  name: z.string().describe('Masked'),
  score: z.number().int(),
  durationSeconds: z.number().int(),
  me: z.boolean(),
});

/** A quiz's weekly board: each participant's best graded attempt, best score first, then fastest. */
export const Leaderboard = z.object({
  activityId: z.string(),
  week: z.string().describe('ISO week, e.g. 2026-W49'),
  weekStart: z.string(),
  weekEnd: z.string(),
  total: z.number().int().describe('Questions per attempt'),
  participants: z.number().int(),
  top: z.array(LeaderboardRow).max(50),
  me: LeaderboardRow.nullable().describe('My best this week and its rank; null before my first graded attempt'),
  updatedAt: z.string().describe('The board includes every result up to this moment'),
});
export type Leaderboard = z.infer<typeof Leaderboard>;
