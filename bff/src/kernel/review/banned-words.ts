import type { FieldIssue } from '@/platform/errors';

/** Finds wording banned in financial marketing (promises of returns or safety) in the given copy fields. */
export function findBannedWords(content: object, fields: readonly string[], words: string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of fields) {
    const text = (content as Record<string, unknown>)[field];
    if (typeof text !== 'string') continue;
    const hits = words.filter((w) => text.includes(w));
    if (hits.length) issues.push({ path: field, message: `包含禁用词：${hits.join('、')}` });
  }
  return issues;
}
