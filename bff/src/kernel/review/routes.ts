import type { ReviewedOperations } from '@shared/api/reviewed';
import { csvRecords } from '@/platform/csv';
import { implement } from '@/platform/http/routes';
import type { ReviewedContent } from './repository';
import type { ReviewWorkflow } from './workflow';

/** Binds a reviewed kind's operations (shared/api/reviewed.ts) to its workflow. */
export function reviewedAdminRoutes<C extends ReviewedContent, X extends object>(spec: {
  operations: ReviewedOperations;
  service: ReviewWorkflow<C, X>;
  csvRow: (record: Record<string, string>) => unknown;
}) {
  const { operations: op, service } = spec;
  return [
    implement(op.create, ({ principal, body }) => service.create(principal, body as C)),
    implement(op.list, ({ principal, query }) => service.listPage(principal, query)),
    implement(op.get, ({ principal, params }) => service.get(principal, params.id)),
    implement(op.update, ({ principal, params, body }) => service.update(principal, params.id, body as C)),
    implement(op.submit, ({ principal, params }) => service.submit(principal, params.id)),
    implement(op.approve, ({ principal, params, body }) => service.approve(principal, params.id, body.reason)),
    implement(op.reject, ({ principal, params, body }) => service.reject(principal, params.id, body.reason)),
    implement(op.withdraw, ({ principal, params, body }) => service.withdraw(principal, params.id, body.reason)),
    implement(op.history, async ({ principal, params }) => ({ items: await service.history(principal, params.id) })),
    implement(op.bulk, ({ principal, body, query }) => service.bulkUpload(principal, body.items, { dryRun: query.dryRun === 'true' })),
    implement(op.bulkCsv, ({ principal, ctx, query }) =>
      service.bulkUpload(principal, csvRecords((ctx.request as { body?: string }).body ?? '').map(spec.csvRow), { dryRun: query.dryRun === 'true' }),
    ),
  ];
}
