/** The last lines of what a process wrote (its chunks as received), for an error that says why it did not start. */
export function lastLines(chunks: string[], count = 30): string {
  return chunks.join('').trimEnd().split('\n').slice(-count).join('\n') || '(nothing)';
}
