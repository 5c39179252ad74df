import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Promise<unknown>[]>();

/**
 * Runs a request's handler, then waits for the work it started `alongside` its answer: the
 * answer goes out once that work is done, and is an error if that work failed, exactly as if
 * the handler had waited for it where it started it.
 */
export async function answeringAfter<T>(handler: () => Promise<T>): Promise<T> {
  const started: Promise<unknown>[] = [];
  const result = await scope.run(started, handler);
  await Promise.all(started);
  return result;
}

/**
 * Work a request must finish before it answers but need not wait for before going on (an event
 * the rest of the request does not read). Inside a request it runs beside the rest; anywhere
 * else (a job) the returned promise is the work itself.
 */
export function alongside(work: Promise<unknown>): Promise<void> {
  const started = scope.getStore();
  if (!started) return work.then(() => undefined);
  work.catch(() => undefined); // its failure is the request's, through answeringAfter
  started.push(work);
  return Promise.resolve();
}
