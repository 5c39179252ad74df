/**
 * Runs tasks one at a time per key, in arrival order, within this process. Used to keep
 * a process's own requests from racing each other on a hot stream: they would all lose
 * but one, then retry. It is an efficiency measure only; correctness across processes
 * still comes from the database's unique index.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return function enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
