import type { Faults } from './faults';
import type { JobBooks } from './job-books';
import { scrubDriverText, type Logger } from './logger';
import { jobsOf, type CapabilityModule, type Job } from './module';

/**
 * Periodic work that modules register: expiring points, finishing what a crash cut short,
 * deleting expired bookkeeping (FerretDB has no TTL indexes). Every BFF process runs it; each
 * job is keyed or idempotent, so running it twice or in two processes at once is harmless.
 */
export function createMaintenance(options: { logger: Logger; modules: CapabilityModule[]; books: JobBooks; faults: Faults }) {
  const deps = { logger: options.logger, jobs: jobsOf(options.modules, 'jobs'), sweeps: jobsOf(options.modules, 'sweeps') };
  /** Each job in turn; one that fails is logged, counted in the job books and reported as `{ failed }`, and the rest still run. */
  async function runAll(jobs: Record<string, Job>): Promise<Record<string, unknown>> {
    const done: Record<string, unknown> = {};
    for (const [name, job] of Object.entries(jobs)) {
      let outcome: Parameters<JobBooks['ran']>[1];
      try {
        options.faults.hit(`job:${name}`);
        done[name] = await job();
        outcome = { ok: true };
      } catch (err) {
        const failed = scrubDriverText(err instanceof Error ? err.message : String(err));
        deps.logger.warn({ job: name, err: failed }, 'job failed');
        done[name] = { failed };
        outcome = { ok: false, error: failed };
      }
      // The books are figures: not being able to write them fails no job.
      await options.books.ran(name, outcome).catch(() => undefined);
    }
    return done;
  }

  return {
    runOnce: () => runAll({ ...deps.jobs, ...deps.sweeps }),
    /** Runs the jobs every `intervalMs` and the sweeps every `sweepMs`, until the returned function is called. */
    start(intervalMs = 10 * 60 * 1000, sweepMs = 60 * 1000): () => void {
      const every = (ms: number, name: string, jobs: Record<string, Job>) => {
        const timer = setInterval(() => {
          runAll(jobs).then(
            (done) => deps.logger.debug({ done }, name),
            (err: unknown) => deps.logger.warn({ err: scrubDriverText(err instanceof Error ? err.message : String(err)) }, `${name} failed`),
          );
        }, ms);
        timer.unref();
        return timer;
      };
      const timers = [every(intervalMs, 'maintenance', deps.jobs), every(sweepMs, 'sweep', deps.sweeps)];
      return () => timers.forEach(clearInterval);
    },
  };
}
