import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

/** Periodic work as operations staff watch it: each job's last outcome, and the items a job could not finish. */
const JobStatus = z.object({
  name: z.string().describe('<module>.<job>, e.g. mall.orders'),
  lastRunAt: z.string(),
  lastOkAt: z.string().nullable(),
  lastFailedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  failuresInARow: z.number().int(),
  failures: z.number().int().describe('Failed runs since the books began'),
});
const StuckItem = z.object({
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
const ReleaseItem = z.object({ job: z.string().min(1).max(100), key: z.string().min(1).max(200) }).strict();

export const jobsApi = endpoints({
  getJobsReport: {
    method: 'get',
    path: '/admin/jobs',
    operationId: 'getJobsReport',
    summary: '后台任务：每个定时任务最近一次的结果与连续失败次数，以及处理失败的条目（连续失败 5 次后搁置，待人工解除）',
    tags: ['admin:operations'],
    access: [Role.ADMIN],
    responses: { 200: { description: 'Jobs and failing items', schema: JobsReport } },
  },
  releaseJobItem: {
    method: 'post',
    path: '/admin/jobs/items/release',
    operationId: 'releaseJobItem',
    summary: '解除搁置：让连续失败被搁置的条目在下一轮重新处理（留痕）',
    tags: ['admin:operations'],
    access: [Role.ADMIN],
    body: ReleaseItem,
    responses: { 204: { description: 'Released' }, 404: { description: 'No such failing item' } },
  },
});
