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

/**
 * A stored diff's right answer (option ids, as the revision history keeps it) in words, read against the options
 * the document has now at the same place (an option keeps its id); an id no longer there stays as it is.
 */
export function answerInWords(doc: unknown, path: string, answer: unknown): unknown {
  // `answer`, or one of its ids (`answer.0`: the history keeps a list item by item).
  const question = /^(.*?)\.?answer(\.\d+)?$/.exec(path);
  if (!question) return answer;
  let at: unknown = doc;
  for (const key of question[1] ? question[1].split('.') : []) at = isObject(at) || Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  const options = isObject(at) ? at.options : undefined;
  if (!isOptionList(options) || answer === undefined || answer === null) return answer;
  return [answer]
    .flat()
    .map((id) => options.find((o) => o.id === id)?.text ?? id)
    .join('；');
}
