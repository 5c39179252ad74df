/**
 * Finds wording banned in financial marketing (promises of returns or safety) in every text of a document,
 * at any depth: a question's option or a prize's name reaches customers as surely as a title does. The BFF
 * refuses submission on what it finds; the console marks the same for the reviewer.
 */
export function findBannedWords(content: unknown, words: readonly string[], path = ''): { path: string; message: string }[] {
  if (typeof content === 'string') {
    const hits = words.filter((w) => content.includes(w));
    return hits.length ? [{ path, message: `包含禁用词：${hits.join('、')}` }] : [];
  }
  if (Array.isArray(content)) return content.flatMap((item, i) => findBannedWords(item, words, path ? `${path}.${i}` : String(i)));
  if (typeof content === 'object' && content !== null) return Object.entries(content).flatMap(([key, value]) => findBannedWords(value, words, path ? `${path}.${key}` : key));
  return [];
}
