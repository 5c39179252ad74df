import { z } from 'zod';

/** Periodic work as operations staff watch it: each job's last outcome, and the items a job could not finish. */
export const JobStatus = z.object({
  name: z.string().describe('<module>.<job>, e.g. mall.orders'),
  lastRunAt: z.string(),
  lastOkAt: z.string().nullable(),
  lastFailedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  failuresInARow: z.number().int(),
  failures: z.number().int().describe('Failed runs since the books began'),
});
export const StuckItem = z.object({
  job: z.string(),
  key: z.string().describe('The item within the job (an order, a document, a draw)'),
  failures: z.number().int().describe('Failures in a row'),
  lastError: z.string(),
  firstFailedAt: z.string(),
  lastFailedAt: z.string(),
  parked: z.boolean().describe('Left alone after failing 5 times in a row, until released'),
});
export const JobsReport = z.object({ jobs: z.array(JobStatus), items: z.array(StuckItem) });
export type JobsReport = z.infer<typeof JobsReport>;
export const ReleaseItem = z.object({ job: z.string().min(1).max(100), key: z.string().min(1).max(200) }).strict();
