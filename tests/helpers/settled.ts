/**
 * What `read` gives once it gives `expected` (compared as JSON), or what it last gave when the
 * ceiling passes: for what a request leaves behind its answer (an event's record, a marker
 * cleared), which lands soon after it. A generous ceiling, not a deadline: it only bounds a failure.
 */
export async function settledTo<T>(read: () => Promise<T>, expected: T, ceilingMs = 15_000): Promise<T> {
  const until = Date.now() + ceilingMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
