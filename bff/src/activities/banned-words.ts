import type { ActivityInput } from '../../../shared/contracts/activities';
import type { FieldIssue } from '../platform/errors';

const CHECKED_FIELDS = ['title', 'description', 'rules'] as const;

/** Finds wording banned in financial marketing (promises of returns or safety) in the copy. */
export function findBannedWords(content: ActivityInput, words: string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of CHECKED_FIELDS) {
    const hits = words.filter((w) => content[field].includes(w));
    if (hits.length) issues.push({ path: field, message: `包含禁用词：${hits.join('、')}` });
  }
  return issues;
}
