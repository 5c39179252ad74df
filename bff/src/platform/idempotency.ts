import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import type { Database } from './db';
import { AppError, isDuplicateKeyError, type FieldIssue } from './errors';
import type { ErrorCode } from '../../../shared/errors';

/**
 * Runs a unit of work at most once per (scope, key). The claim is an insert under the
 * `_id` index, the one write FerretDB and MongoDB both make atomic. Later callers with the
 * same key wait for the first one and get its result, or its business error, back.
 */
type StoredError = { code: ErrorCode; message: string; issues?: FieldIssue[] };
type Claim = {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'done';
  result?: unknown;
  error?: StoredError;
  createdAt: Date;
  completedAt?: Date;
};

export type Idempotency = {
  run<T>(scope: string, key: string, request: unknown, work: () => Promise<T>): Promise<T>;
  purgeOlderThan(cutoff: Date): Promise<number>;
};

export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createIdempotency(db: Database, clock: Clock, options: { leaseMs?: number; waitMs?: number } = {}): Idempotency {
  const leaseMs = options.leaseMs ?? 60_000;
  const waitMs = options.waitMs ?? 15_000;
  const claims = () => db.collection<Claim>('idempotency_keys');

  function replay<T>(claim: Claim): T {
    if (claim.error) throw new AppError(claim.error.code, { message: claim.error.message, issues: claim.error.issues });
    return claim.result as T;
  }

  async function execute<T>(id: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      await claims().updateOne({ _id: id }, { $set: { state: 'done', result, completedAt: clock.now() } });
      return result;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        const error: StoredError = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) };
        await claims().updateOne({ _id: id }, { $set: { state: 'done', error, completedAt: clock.now() } });
      } else {
        // An unexpected failure is not an answer: free the key so a retry runs the work again.
        await claims().deleteOne({ _id: id });
      }
      throw err;
    }
  }

  return {
    async run<T>(scope: string, key: string, request: unknown, work: () => Promise<T>): Promise<T> {
      const id = `${scope}:${key}`;
      const fingerprint = fingerprintOf(request);
      const deadline = Date.now() + waitMs;
      for (;;) {
        try {
          await claims().insertOne({ _id: id, fingerprint, state: 'pending', createdAt: clock.now() });
          return await execute(id, work);
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
        const existing = await claims().findOne({ _id: id });
        if (!existing) continue; // freed in the meantime: try to claim it again
        if (existing.fingerprint !== fingerprint) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        if (existing.state === 'done') return replay<T>(existing);
        if (clock.now().getTime() - existing.createdAt.getTime() > leaseMs) {
          // The first caller died mid-way. Deleting by _id is atomic: one waiter takes over.
          await claims().deleteOne({ _id: id, state: 'pending' });
          continue;
        }
        if (Date.now() > deadline) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
        await sleep(20 + Math.random() * 30);
      }
    },
    async purgeOlderThan(cutoff) {
      const res = await claims().deleteMany({ state: 'done', completedAt: { $lt: cutoff } });
      return res.deletedCount;
    },
  };
}
