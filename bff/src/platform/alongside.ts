import { AsyncLocalStorage } from 'node:async_hooks';

type Scope = { started: Promise<unknown>[]; leftBehind: (err: unknown) => void };

const scope = new AsyncLocalStorage<Scope>();

/**
 * Runs a request's handler, then waits for the work it started `alongside` its answer: the
 * answer goes out once that work is done, and is an error if that work failed, exactly as if
 * the handler had waited for it where it started it. Work it left `behind` fails to
 * `leftBehind` (the log), never to the answer.
 */
export async function answeringAfter<T>(handler: () => Promise<T>, leftBehind: (err: unknown) => void): Promise<T> {
  const started: Promise<unknown>[] = [];
  const result = await scope.run({ started, leftBehind }, handler);
  await Promise.all(started);
  return result;
}

/**
 * Work a request must finish before it answers but need not wait for before going on (an event
 * the rest of the request does not read). Inside a request it runs beside the rest; anywhere
 * else (a job) the returned promise is the work itself.
 */
export function alongside(work: Promise<unknown>): Promise<void> {
  const current = scope.getStore();
  if (!current) return work.then(() => undefined);
  work.catch(() => undefined); // its failure is the request's, through answeringAfter
  current.started.push(work);
  return Promise.resolve();
}

/**
 * Work a request need not wait for at all, because a keyed record already carries it and a
 * sweep finishes whatever it leaves undone: clearing a marker once its work is done, keeping an
 * event whose delivery intent is written. Inside a request the answer does not wait for it (a
 * failure is logged); anywhere else (a job, a sweep) the returned promise is the work itself.
 */
export function behind(work: Promise<unknown>): Promise<void> {
  const current = scope.getStore();
  if (!current) return work.then(() => undefined);
  work.catch(current.leftBehind);
  return Promise.resolve();
}
