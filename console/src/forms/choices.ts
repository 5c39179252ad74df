import type { QuestionOption } from '@shared/contracts/quiz-bank';

/** An option's letter as the editor, the reviewer and the customer see it: A, B, C… by position. */
export const optionLetter = (i: number) => String.fromCharCode(65 + i);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isOptionList = (v: unknown): v is QuestionOption[] =>
  Array.isArray(v) && v.length > 0 && v.every((o) => isObject(o) && typeof o.id === 'string' && typeof o.text === 'string');

/** Options in words, `A. …；B. …`, the right ones (by id) marked （正确答案）. */
export const optionsText = (options: readonly QuestionOption[], right: readonly unknown[] = []) =>
  options.map((o, i) => `${optionLetter(i)}. ${o.text}${right.includes(o.id) ? '（正确答案）' : ''}`).join('；');

/**
 * A document with every question's options and right answers in words, for a reviewer: the options as
 * `A. …；B. …（正确答案）` and the answer as the right options' texts. Option ids mean nothing to a reader, and
 * the answer by text is what must not change unseen: moving or removing options leaves it as it was.
 */
export function readableChoices(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readableChoices);
  if (!isObject(value)) return value;
  const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readableChoices(v)]));
  const { options, answer } = value;
  if (isOptionList(options) && answer !== undefined) {
    const right = [answer].flat();
    out.options = optionsText(options, right);
    out.answer =
      options
        .filter((o) => right.includes(o.id))
        .map((o) => o.text)
        .join('；') || '（未设置）';
  }
  return out;
}
